// Helpers for HTTP-level page tests: sign in through the real form, post forms as a browser would.
import { HttpSession, hiddenFields, decodeEntities } from '../support/http-session';

export { HttpSession, hiddenFields, decodeEntities };

export async function signIn(baseUrl: string, username: string, password: string, http = new HttpSession()): Promise<HttpSession> {
  const page = await (await http.request(`${baseUrl}/accounts/login/`)).text();
  const res = await http.request(`${baseUrl}/accounts/login/`, { form: { ...hiddenFields(page, '/accounts/login/'), username, password } });
  if (res.status !== 303) throw new Error(`sign-in as ${username} failed with HTTP ${res.status}`);
  return http;
}

/** Loads a page and submits its form posting to `action` with extra fields. */
export async function submitForm(http: HttpSession, baseUrl: string, pagePath: string, action: string, fields: Record<string, string>) {
  const page = await http.request(`${baseUrl}${pagePath}`);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`GET ${pagePath} → ${page.status}: ${html.slice(0, 200)}`);
  const hidden = hiddenFields(html, action);
  const res = await http.request(`${baseUrl}${action}`, { form: { ...hidden, ...fields } });
  return { res, html: await res.text(), hidden };
}

/** The text of the element with this id (first match), entities decoded. */
export function textOf(html: string, id: string): string | undefined {
  const m = new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html);
  return m ? decodeEntities(m[1]).trim() : undefined;
}
