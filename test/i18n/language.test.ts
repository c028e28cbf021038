// Which language a page is in, over real HTTP against a real provider and FerretDB: the account's
// choice, else the language cookie (the footer's switch), else Accept-Language, else
// DEFAULT_LANGUAGE; right-to-left for Arabic; bad input (unknown code, tampered cookie, foreign
// return address) changes nothing.
import { startTestProvider, type TestProvider } from '../support/provider';
import { loadConfig, ConfigError } from '../../provider/src/kernel/config';
import { HttpSession, hiddenFields, signIn } from '../web/support';

let p: TestProvider;

beforeAll(async () => {
  p = await startTestProvider({ env: { DEFAULT_LANGUAGE: 'fr' } });
  await p.createUser({ username: 'ines', email: 'ines@example.com', name: 'Inès', password: 'ines password' });
});
afterAll(async () => p?.stop());

const page = async (path: string, headers: Record<string, string> = {}, http = new HttpSession()) => {
  const res = await http.request(`${p.baseUrl}${path}`, { headers });
  return { res, html: await res.text() };
};
const htmlLang = (html: string) => /<html lang="([^"]+)" dir="([^"]+)">/.exec(html)?.slice(1, 3);

describe('choosing the language', () => {
  test('no preference and no Accept-Language (or "*"): DEFAULT_LANGUAGE', async () => {
    const { res, html } = await page('/accounts/login/');
    expect(htmlLang(html)).toEqual(['fr', 'ltr']);
    expect(res.headers.get('content-language')).toBe('fr');
    expect(html).toContain('Aller au contenu');
    // "*" (any language; fetch() sends it) also means the default.
    expect(htmlLang((await page('/', { 'accept-language': '*' })).html)).toEqual(['fr', 'ltr']);
  });

  test('Accept-Language picks the best shipped language by q-value; a bare "pt" gets pt-BR', async () => {
    expect(htmlLang((await page('/', { 'accept-language': 'ja, de;q=0.8, es;q=0.5' })).html)).toEqual(['de', 'ltr']);
    expect(htmlLang((await page('/', { 'accept-language': 'pt' })).html)).toEqual(['pt-BR', 'ltr']);
    expect(htmlLang((await page('/', { 'accept-language': 'es-MX,es;q=0.9' })).html)).toEqual(['es', 'ltr']);
    // Nothing shipped matches: the default, not an error.
    const { res, html } = await page('/', { 'accept-language': 'ja, zh;q=0.5, ;;=,' });
    expect(res.status).toBe(200);
    expect(htmlLang(html)).toEqual(['fr', 'ltr']);
  });

  test('Arabic lays the page out right to left, with English where a key is not translated yet', async () => {
    const { html } = await page('/', { 'accept-language': 'ar' });
    expect(htmlLang(html)).toEqual(['ar', 'rtl']);
    expect(html).toContain('انتقل إلى المحتوى');
  });

  test('a tampered or unknown language cookie is ignored and never echoed', async () => {
    for (const cookie of ['hrm_lang=%3Cscript%3E', 'hrm_lang=xx', `hrm_lang=${'d'.repeat(5000)}`, 'hrm_lang=de"><b>']) {
      const { res, html } = await page('/', { cookie, 'accept-language': 'es' });
      expect(res.status).toBe(200);
      expect(htmlLang(html)).toEqual(['es', 'ltr']);
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<b>');
    }
  });

  test('the footer switch sets the language for a visitor and returns to the page', async () => {
    const http = new HttpSession();
    const { html } = await page('/accounts/login/?next=%2Faccounts%2Fprofile%2F', { 'accept-language': 'de' }, http);
    expect(html).toMatch(/<option value="pt-BR" lang="pt-BR">Português \(Brasil\)<\/option>/);
    const fields = hiddenFields(html, '/language/');
    expect(fields.next).toBe('/accounts/login/?next=%2Faccounts%2Fprofile%2F');
    const res = await http.request(`${p.baseUrl}/language/`, { form: { ...fields, lang: 'es' }, headers: { 'accept-language': 'de' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/accounts/login/?next=%2Faccounts%2Fprofile%2F');
    expect(http.cookie('hrm_lang')).toBe('es');
    // The cookie now wins over the browser's Accept-Language.
    expect(htmlLang((await page('/', { 'accept-language': 'de' }, http)).html)).toEqual(['es', 'ltr']);
  });

  test('bad input to the switch: unknown code, missing CSRF token, foreign return address', async () => {
    const http = new HttpSession();
    const { html } = await page('/', { 'accept-language': 'de' }, http);
    const fields = hiddenFields(html, '/language/');
    const unknown = await http.request(`${p.baseUrl}/language/`, { form: { ...fields, lang: 'klingon' }, headers: { 'accept-language': 'de' } });
    expect(unknown.status).toBe(400);
    const body = await unknown.text();
    expect(body).toContain('Unbekannte Sprache');
    expect(body).toContain('Deutsch (de)');
    expect(body).not.toContain('klingon');
    expect(http.cookie('hrm_lang')).toBeUndefined();

    const noToken = await http.request(`${p.baseUrl}/language/`, { form: { lang: 'es', next: '/' } });
    expect(noToken.status).toBe(403);
    expect(http.cookie('hrm_lang')).toBeUndefined();

    // A browser drops tabs and newlines from a URL, so "/<TAB>/evil.example" would be "//evil.example".
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', '/\t/evil.example/', '/\n/evil.example/']) {
      const res = await http.request(`${p.baseUrl}/language/`, { form: { ...fields, lang: 'es', next } });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/');
    }
  });

  test('signed in, the switch saves the choice on the account: it wins over cookie and browser, on any device', async () => {
    const http = await signIn(p.baseUrl, 'ines', 'ines password');
    const { html } = await page('/accounts/profile/', { 'accept-language': 'de' }, http);
    const res = await http.request(`${p.baseUrl}/language/`, { form: { ...hiddenFields(html, '/language/'), lang: 'pt-br' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/accounts/profile/');
    const stored = await p.db.users.findOne({ username: 'ines' });
    expect(stored?.language).toBe('pt-BR');
    // Another device with another cookie and browser language: the account's choice.
    const other = await signIn(p.baseUrl, 'ines', 'ines password');
    expect(htmlLang((await page('/accounts/profile/', { 'accept-language': 'de', cookie: 'hrm_lang=es' }, other)).html)).toEqual(['pt-BR', 'ltr']);
  });
});

describe('DEFAULT_LANGUAGE', () => {
  test('accepts a shipped code in any case, refuses another with the list', () => {
    expect(loadConfig({ DEFAULT_LANGUAGE: 'PT-br' }).DEFAULT_LANGUAGE).toBe('pt-BR');
    expect(() => loadConfig({ DEFAULT_LANGUAGE: 'xx' })).toThrow(ConfigError);
    expect(() => loadConfig({ DEFAULT_LANGUAGE: 'xx' })).toThrow(/DEFAULT_LANGUAGE is "xx", but the shipped languages are en, de, es, fr, pt-BR, ar/);
  });
});
