import { loadConfig, ConfigError, KNOWN_VARIABLES } from '../../provider/src/kernel/config';
import { editDistance } from '../../provider/src/kernel/config-names';

const PRODUCTION = { NODE_ENV: 'production', ISSUER: 'https://sso.example.com', SESSION_SECRET: 's'.repeat(40), MONGO_URL: 'mongodb://mongo:27017/' };

test('defaults match DOT and the README', () => {
  const c = loadConfig({});
  expect(c.PORT).toBe(8000);
  expect(c.ACCESS_TOKEN_EXPIRE_SECONDS).toBe(36000);
  expect(c.REFRESH_TOKEN_EXPIRE_SECONDS).toBe(86400);
  expect(c.AUTHORIZATION_CODE_EXPIRE_SECONDS).toBe(60);
  expect(c.ROTATE_REFRESH_TOKEN).toBe(true);
  expect(c.SHUTDOWN_TIMEOUT_SECONDS).toBe(10);
  expect(c.scopes).toEqual(['read', 'write', 'openid', 'profile', 'email', 'hr', 'hrm']);
  expect(c.issuer).toBe('http://localhost:8000');
  expect(c.secureCookies).toBe(false);
  expect(c.sessionSecrets).toEqual([]);
});

test('an https issuer makes cookies Secure; trailing slashes are dropped', () => {
  const c = loadConfig({ ISSUER: 'https://sso.example.com/' });
  expect(c.issuer).toBe('https://sso.example.com');
  expect(c.secureCookies).toBe(true);
});

test('a complete production configuration loads', () => {
  expect(loadConfig(PRODUCTION).production).toBe(true);
  expect(loadConfig({ ...PRODUCTION, ISSUER: 'http://127.0.0.1:8000' }).issuer).toBe('http://127.0.0.1:8000'); // loopback may be http
  expect(loadConfig({ ...PRODUCTION, MONGO_URL: undefined, ALLOW_EMBEDDED_DATABASE: 'true' }).MONGO_URL).toBeUndefined();
});

test('SESSION_SECRETS: the first signs, all verify; each must be long enough; not together with SESSION_SECRET', () => {
  const a = 'a'.repeat(32);
  const b = 'b'.repeat(40);
  expect(loadConfig({ SESSION_SECRETS: `${a}, ${b}` }).sessionSecrets).toEqual([a, b]);
  expect(loadConfig({ SESSION_SECRET: b }).sessionSecrets).toEqual([b]);
  expect(() => loadConfig({ SESSION_SECRETS: `${a},short` })).toThrow('SESSION_SECRETS is set (value hidden, 38 characters), but it must be a comma-separated list of secrets of at least 32 characters each.');
  expect(() => loadConfig({ SESSION_SECRETS: a, SESSION_SECRET: b })).toThrow(/set only SESSION_SECRETS/);
  expect(loadConfig({ ...PRODUCTION, SESSION_SECRET: undefined, SESSION_SECRETS: `${a},${b}` }).sessionSecrets).toHaveLength(2);
});

// Each failure: one sentence naming the variable, its value and what it must be.
test.each([
  [{ PORT: 'abc' }, 'PORT is "abc", but it must be a number.'],
  [{ PORT: '70000' }, 'PORT is "70000", but it must be at most 65535.'],
  [{ PORT: '80.5' }, 'PORT is "80.5", but it must be a whole number.'],
  [{ MONGO_DB: 'hrm sso' }, 'MONGO_DB is "hrm sso", but it must be 1 to 63 letters, digits, _ or -.'],
  [{ ROTATE_REFRESH_TOKEN: 'maybe' }, 'ROTATE_REFRESH_TOKEN is "maybe", but it must be true or false.'],
  [{ ISSUER: 'not a url' }, 'ISSUER is "not a url", but it must be a URL such as https://sso.example.com.'],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL is "loud", but it must be one of fatal, error, warn, info, debug, trace, silent.'],
  [{ ACCESS_TOKEN_EXPIRE_SECONDS: '0' }, 'ACCESS_TOKEN_EXPIRE_SECONDS is "0", but it must be greater than 0.'],
  [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET is set (value hidden, 5 characters), but it must be at least 32 characters long.'],
  [{ PASSWORD_SCRYPT_COST: '1000' }, 'PASSWORD_SCRYPT_COST is "1000", but it must be a power of two between 1024 and 1048576.'],
  [{ DEFAULT_SCOPES: 'admin' }, 'DEFAULT_SCOPES is "admin", but it names unknown scopes admin'],
])('bad value %p is one sentence naming variable, value and expectation', (env, sentence) => {
  expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
  expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(`Invalid configuration: ${sentence}`);
});

test('secrets never appear in messages', () => {
  const secret = 'super-secret-value-that-is-too-short';
  for (const env of [{ SESSION_SECRET: 'x' + secret.slice(20) }, { METRICS_TOKEN: 'short' }]) {
    try {
      loadConfig(env);
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as Error).message).toMatch(/value hidden/);
      expect((err as Error).message).not.toContain(Object.values(env)[0]);
    }
  }
});

test.each([
  [{ ...PRODUCTION, SESSION_SECRET: undefined }, /SESSION_SECRET is required when NODE_ENV=production/],
  [{ ...PRODUCTION, ISSUER: undefined }, /ISSUER is required when NODE_ENV=production/],
  [{ ...PRODUCTION, ISSUER: 'http://sso.example.com' }, /ISSUER is "http:\/\/sso.example.com", but with NODE_ENV=production it must be an https:\/\/ URL/],
  [{ ...PRODUCTION, MONGO_URL: undefined }, /MONGO_URL is not set, and NODE_ENV=production does not run the embedded FerretDB unless asked: .*ALLOW_EMBEDDED_DATABASE=true/],
])('production guardrail %#', (env, message) => {
  expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(message);
});

test.each([
  ['MONGO_URI', 'MONGO_URL'],
  ['SESION_SECRET', 'SESSION_SECRET'],
  ['ISUER', 'ISSUER'],
  ['ACCESS_TOKEN_EXPIRES_SECONDS', 'ACCESS_TOKEN_EXPIRE_SECONDS'],
  ['HRM_PORT', 'PORT'],
])('a mistyped %s is refused with "did you mean %s?"', (typo, meant) => {
  expect(() => loadConfig({ [typo]: '1' })).toThrow(`${typo} is not a setting of this provider; did you mean ${meant}?`);
});

test('unrelated variables of the system and of other programs are left alone', () => {
  const env = { HOME: '/root', PATH: '/usr/bin', HOSTNAME: 'box', PWD: '/', TERM: 'xterm', LANG: 'C', NODE_OPTIONS: '', MONGO_INITDB_ROOT_USERNAME: 'root', npm_config_cache: '/x', SESSION_MANAGER: 'local/x' };
  expect(() => loadConfig(env)).not.toThrow();
  expect(() => loadConfig({ HRM_SOMETHING_NEW: '1' })).toThrow('HRM_SOMETHING_NEW is not a setting of this provider (see .env.example for the list).');
  expect(KNOWN_VARIABLES).toContain('SHUTDOWN_TIMEOUT_SECONDS');
  expect(editDistance('MONGO_URI', 'MONGO_URL')).toBe(1);
  expect(editDistance('ISUSER', 'ISSUER')).toBe(1); // one adjacent swap
});
