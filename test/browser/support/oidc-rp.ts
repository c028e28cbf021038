// A second, independent relying party for the browser tests: a small Express app that signs
// people in with openid-client's passport strategy (discovery, code + PKCE, nonce, ID token
// validation, userinfo) and signs them out through the provider's end_session_endpoint.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import { Issuer, Strategy, custom, type TokenSet, type UserinfoResponse } from 'openid-client';

custom.setHttpOptionsDefaults({ timeout: 20000 });

interface RpUser {
  sub: string;
  name?: string;
  email?: string;
  idToken: string;
}

export interface OidcRelyingParty {
  url: string;
  redirectUri: string;
  postLogoutUri: string;
  /** Discovers the provider and installs the strategy, once the client is registered. */
  configure(clientId: string, clientSecret: string): Promise<void>;
  close(): Promise<void>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startOidcRelyingParty(providerUrl: string): Promise<OidcRelyingParty> {
  const app = express();
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirectUri = `${url}/auth/callback`;
  const postLogoutUri = `${url}/signed-out`;

  const authenticator = new passport.Passport();
  authenticator.serializeUser((u, done) => done(null, u));
  authenticator.deserializeUser((u: Express.User, done) => done(null, u));
  app.use(session({ name: 'rp_session', secret: 'relying-party-test-secret-0123456789', resave: false, saveUninitialized: false }));
  app.use(authenticator.initialize());
  app.use(authenticator.session());

  let endSessionUrl: ((idToken: string) => string) | undefined;
  const page = (body: string) => `<!doctype html><html><head><title>Wiki</title></head><body>${body}</body></html>`;

  app.get('/', (req, res) => {
    const user = req.user as RpUser | undefined;
    res.send(page(user ? `<h1 id="hello">Hello ${escape(user.name ?? user.sub)}</h1><p id="email">${escape(user.email ?? '')}</p><a id="logout" href="/logout">Log out</a>` : '<h1>Wiki</h1><a id="login" href="/login">Log in with HRM</a>'));
  });
  app.get('/login', (req, res, next) => authenticator.authenticate('hrm')(req, res, next));
  app.get('/auth/callback', (req, res, next) =>
    authenticator.authenticate('hrm', (err: unknown, user: RpUser | false) => {
      if (err || !user) return res.status(401).send(page(`<h1 id="failed">Login failed</h1><p>${escape(String((err as Error)?.message ?? 'no user'))}</p>`));
      req.logIn(user, (e) => (e ? next(e) : res.redirect('/')));
    })(req, res, next),
  );
  app.get('/logout', (req, res, next) => {
    const user = req.user as RpUser | undefined;
    req.logout((err) => {
      if (err) return next(err);
      res.redirect(user && endSessionUrl ? endSessionUrl(user.idToken) : '/');
    });
  });
  app.get('/signed-out', (req, res) => res.send(page(`<h1 id="signed-out">Signed out</h1><p id="state">${escape(String(req.query.state ?? ''))}</p>`)));

  return {
    url,
    redirectUri,
    postLogoutUri,
    async configure(clientId, clientSecret) {
      const issuer = await Issuer.discover(providerUrl);
      const client = new issuer.Client({ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], post_logout_redirect_uris: [postLogoutUri], response_types: ['code'] });
      authenticator.use(
        'hrm',
        new Strategy({ client, params: { scope: 'openid profile email' }, usePKCE: 'S256' }, (tokenset: TokenSet, userinfo: UserinfoResponse, done: (err: unknown, user?: RpUser) => void) => {
          // The ID token and userinfo must name the same person (OIDC Core §5.3.2).
          if (userinfo.sub !== tokenset.claims().sub) return done(new Error('userinfo sub differs from the ID token'));
          done(null, { sub: userinfo.sub, name: userinfo.name, email: userinfo.email, idToken: tokenset.id_token! });
        }),
      );
      endSessionUrl = (idToken) => client.endSessionUrl({ id_token_hint: idToken, post_logout_redirect_uri: postLogoutUri, state: 'rp-state-1' });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
