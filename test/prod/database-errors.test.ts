// Which failures count as "the database is unavailable" (answered 503, retry shortly) rather than
// a bug (500). The outage drill (outage.test.ts) hits these at random; here each shape is pinned.
import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { ServerError } from '@node-oauth/oauth2-server';
import { isDatabaseUnavailable } from '../../provider/src/db/errors';

const socketEnded = () => Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });

test('driver errors, and socket errors the driver let through, are the database being unavailable', () => {
  expect(isDatabaseUnavailable(new MongoNetworkError('connection reset'))).toBe(true);
  expect(isDatabaseUnavailable(new MongoServerSelectionError('no server', { error: undefined } as never))).toBe(true);
  expect(isDatabaseUnavailable(socketEnded())).toBe(true);
  expect(isDatabaseUnavailable(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
  expect(isDatabaseUnavailable(new Error('This socket has been ended by the other party'))).toBe(true);
});

test('looked for through library wrappers (oauth2-server keeps the original in `inner`, others in `cause`)', () => {
  expect(isDatabaseUnavailable(new ServerError('wrapped', { inner: socketEnded() } as never))).toBe(true);
  expect(isDatabaseUnavailable(new Error('outer', { cause: new MongoNetworkError('gone') }))).toBe(true);
});

test('programming errors and bad input stay what they are', () => {
  expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
  expect(isDatabaseUnavailable(Object.assign(new Error('bad'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBe(false);
  expect(isDatabaseUnavailable(new ServerError('wrapped', { inner: new RangeError('nope') } as never))).toBe(false);
  expect(isDatabaseUnavailable(undefined)).toBe(false);
  expect(isDatabaseUnavailable('EPIPE')).toBe(false);
});
