// Unique usernames and emails on the real database, reported as the right duplicate
// (FerretDB does not name the violated index, and reports update violations differently).
import { startTestProvider, type TestProvider } from '../support/provider';

let p: TestProvider;
beforeAll(async () => {
  p = await startTestProvider();
});
afterAll(() => p.stop());

test('duplicate username, duplicate email (any case), and an email change onto a taken one', async () => {
  const users = p.running.services.users;
  const alice = await users.create({ username: 'Alice', email: 'Alice@Example.com', name: 'Alice' });
  expect(alice.username).toBe('alice');
  expect(alice.email).toBe('alice@example.com');
  await expect(users.create({ username: 'ALICE', email: 'other@example.com', name: 'A2' })).rejects.toMatchObject({ code: 'duplicate_username', status: 409 });
  await expect(users.create({ username: 'alice2', email: 'ALICE@example.com', name: 'A3' })).rejects.toMatchObject({ code: 'duplicate_email', status: 409 });
  const bob = await users.create({ username: 'bob', email: 'bob@example.com', name: 'Bob' });
  await expect(users.update(bob._id, { email: 'alice@example.com' })).rejects.toMatchObject({ code: 'duplicate_email' });
  expect((await users.byId(bob._id))?.email).toBe('bob@example.com');
  expect(await p.db.users.countDocuments()).toBe(2);
});

test('invalid input is one readable error', async () => {
  const users = p.running.services.users;
  await expect(users.create({ username: 'no spaces allowed', email: 'x@example.com', name: 'X' })).rejects.toMatchObject({ code: 'invalid_user', message: expect.stringMatching(/username must be/) });
  await expect(users.create({ username: 'x', email: 'not-an-email', name: 'X' })).rejects.toMatchObject({ message: 'email must be a valid address' });
  await expect(users.create({ username: 'x', email: 'x@example.com', name: 'X', password: 'short' })).rejects.toMatchObject({ message: 'password must be at least 8 characters' });
});
