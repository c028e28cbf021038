// A MailMessage (messages.ts) → subject, plain-text part and HTML part with the pages' branding:
// product and organisation name, logo, accent colour, help contact; the words around the message
// (link hint, footer) and <html lang dir> in the message's language. Nunjucks with autoescape for
// the HTML; links are absolute on ISSUER (a mail has no base URL).
import nunjucks from 'nunjucks';
import path from 'node:path';
import type { Config } from '../../kernel/config';
import { organizationLabel, supportHref, textOnAccent } from '../../kernel/brand';
import { languageDirection } from '../../kernel/i18n/languages';
import { getTranslator } from '../../kernel/i18n/translator';
import { safeDisplayName } from './address';
import type { MailMessage } from './messages';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const VIEWS = path.join(__dirname, '..', '..', 'views', 'mail');
const htmlEnv = new nunjucks.Environment(new nunjucks.FileSystemLoader(VIEWS), { autoescape: true });
const textEnv = new nunjucks.Environment(new nunjucks.FileSystemLoader(VIEWS), { autoescape: false });

/** LOGO_URL as an absolute URL (a path on this server is resolved against ISSUER). */
function absoluteLogo(config: Config): string | undefined {
  if (!config.LOGO_URL) return undefined;
  return config.LOGO_URL.startsWith('/') ? `${config.issuer}${config.LOGO_URL}` : config.LOGO_URL;
}

export function renderMail(config: Config, message: MailMessage): RenderedMail {
  const accent = config.ACCENT_COLOR.toLowerCase();
  const context = {
    message,
    // The mail's language: <html lang/dir> and the words around the message (footer, link hint).
    lang: message.lang,
    dir: languageDirection(message.lang),
    t: getTranslator().forLanguage(message.lang),
    productName: config.PRODUCT_NAME,
    organizationLabel: organizationLabel(config),
    logoUrl: absoluteLogo(config),
    accent,
    onAccent: textOnAccent(accent),
    supportContact: config.SUPPORT_CONTACT,
    supportHref: supportHref(config.SUPPORT_CONTACT),
    issuer: config.issuer,
  };
  return {
    // A subject is a header: no line breaks, whatever PRODUCT_NAME or a username holds.
    subject: safeDisplayName(message.subject) ?? config.PRODUCT_NAME,
    text: textEnv.render('mail.txt.njk', context).replace(/\n{3,}/g, '\n\n').trim() + '\n',
    html: htmlEnv.render('mail.html.njk', context),
  };
}
