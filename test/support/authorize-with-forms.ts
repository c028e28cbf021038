// Follows an authorization URL through the provider's login and consent forms (clicking Allow)
// and returns where the provider sends the browser back to, without following it.
import { HttpSession, hiddenFields } from './http-session';

export interface AuthorizeOptions {
  /** Submit the consent form without `allow` (the Cancel button). */
  cancel?: boolean;
  session?: HttpSession;
}

export async function authorizeWithForms(authorizationUrl: string, creds: { username: string; password: string }, opts: AuthorizeOptions = {}): Promise<URL> {
  const http = opts.session ?? new HttpSession();
  const origin = new URL(authorizationUrl).origin;
  let res = await http.request(authorizationUrl);
  for (let step = 0; step < 8; step++) {
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, origin);
      if (next.origin !== origin) return next;
      res = await http.request(next);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`authorization stopped at ${res.url || 'a page'} with HTTP ${res.status}: ${html.slice(0, 300)}`);
    if (html.includes('action="/accounts/login/"') && html.includes('name="password"')) {
      const fields = hiddenFields(html, '/accounts/login/');
      res = await http.request(`${origin}/accounts/login/`, { form: { ...fields, username: creds.username, password: creds.password } });
      continue;
    }
    if (html.includes('action="/o/authorize/"')) {
      const fields = hiddenFields(html, '/o/authorize/');
      res = await http.request(`${origin}/o/authorize/`, { form: opts.cancel ? fields : { ...fields, allow: 'Authorize' } });
      continue;
    }
    throw new Error(`unexpected page during authorization: ${html.slice(0, 300)}`);
  }
  throw new Error('too many steps while following the authorization flow');
}
