import { loadConfig, ConfigError } from '../../provider/src/config';

test('defaults match DOT and the README', () => {
  const c = loadConfig({});
  expect(c.PORT).toBe(8000);
  expect(c.ACCESS_TOKEN_EXPIRE_SECONDS).toBe(36000);
  expect(c.REFRESH_TOKEN_EXPIRE_SECONDS).toBe(86400);
  expect(c.AUTHORIZATION_CODE_EXPIRE_SECONDS).toBe(60);
  expect(c.ROTATE_REFRESH_TOKEN).toBe(true);
  expect(c.scopes).toEqual(['read', 'write', 'openid', 'profile', 'email', 'hr']);
  expect(c.issuer).toBe('http://localhost:8000');
  expect(c.secureCookies).toBe(false);
});

test('an https issuer makes cookies Secure; trailing slashes are dropped', () => {
  const c = loadConfig({ ISSUER: 'https://sso.example.com/' });
  expect(c.issuer).toBe('https://sso.example.com');
  expect(c.secureCookies).toBe(true);
});

test.each([
  [{ PORT: 'x' }, /PORT/],
  [{ ROTATE_REFRESH_TOKEN: 'maybe' }, /ROTATE_REFRESH_TOKEN: must be true or false/],
  [{ ISSUER: 'not a url' }, /ISSUER/],
  [{ SESSION_SECRET: 'short' }, /SESSION_SECRET: must be at least 32/],
  [{ NODE_ENV: 'production', ISSUER: 'https://a.example' }, /SESSION_SECRET is required/],
  [{ DEFAULT_SCOPES: 'admin' }, /DEFAULT_SCOPES names unknown scopes admin/],
  [{ PASSWORD_SCRYPT_COST: '1000' }, /power of two/],
])('bad configuration %p is one clear error', (env, message) => {
  expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
  expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(message);
});
