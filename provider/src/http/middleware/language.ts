// Chooses each page's language: the signed-in account's choice, else the language cookie (set by
// the footer's switch before signing in), else the browser's Accept-Language, else
// DEFAULT_LANGUAGE. Unknown or tampered values are ignored, never echoed.
import type { NextFunction, Request, Response } from 'express';
import { LANGUAGES, LANGUAGE_CODES, languageDirection, supportedLanguage } from '../../kernel/i18n/languages';
import { getTranslator, type Translate } from '../../kernel/i18n/translator';
import { formatDateTime, formatDay } from '../../kernel/i18n/format';
import { readCookie } from '../kit/cookies';

export const LANGUAGE_COOKIE = 'hrm_lang';

declare module 'express-serve-static-core' {
  interface Locals {
    lang: string;
    dir: 'ltr' | 'rtl';
    t: Translate;
  }
}

export function chooseLanguage(req: Request, accountLanguage: string | undefined, defaultLanguage: string): string {
  return (
    supportedLanguage(accountLanguage) ??
    supportedLanguage(readCookie(req, LANGUAGE_COOKIE)) ??
    // `accepts` (Express) ranks by q-value and matches a bare "pt" to "pt-BR"; the default is
    // listed first so that "*" (any language, what fetch() sends) means the default.
    (req.headers['accept-language'] ? supportedLanguage(req.acceptsLanguages(defaultLanguage, ...LANGUAGE_CODES.filter((c) => c !== defaultLanguage))) : undefined) ??
    defaultLanguage
  );
}

/** Puts lang, dir, t and the date formatters on res.locals for the templates and the handlers. */
export function languageMiddleware(defaultLanguage: string) {
  const translator = getTranslator();
  const switchOptions = LANGUAGES.map((l) => ({ code: l.code, name: l.nativeName, dir: l.dir }));
  return (req: Request, res: Response, next: NextFunction) => {
    const lang = chooseLanguage(req, res.locals.currentUser?.language, defaultLanguage);
    res.locals.lang = lang;
    res.locals.dir = languageDirection(lang);
    res.locals.t = translator.forLanguage(lang);
    res.locals.languages = switchOptions;
    res.locals.formatDateTime = (d: Date | undefined) => formatDateTime(d, lang);
    res.locals.formatDay = (d: Date | undefined) => formatDay(d, lang);
    // Where the footer's switch returns to (a GET page's own address).
    res.locals.currentPath = req.method === 'GET' && req.originalUrl.length <= 2000 ? req.originalUrl : '/';
    res.set('Content-Language', lang);
    res.vary('Accept-Language');
    next();
  };
}

/** The translate function of this request (English outside the browser middleware). */
export function tr(res: Response): Translate {
  return res.locals.t ?? getTranslator().forLanguage('en');
}
