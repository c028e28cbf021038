// Which language a mail is written in: the recipient account's own choice (UserDoc.language), else
// the language of the page the recipient was on when they caused the mail ("Forgot password?"
// asked from a Spanish page), else DEFAULT_LANGUAGE. Mails caused by someone else (an
// administrator, the CLI, an import or a directory sync) pass no page language: the admin's page
// says nothing about the recipient.
import type { Config } from '../../kernel/config';
import { supportedLanguage } from '../../kernel/i18n/languages';

export function mailLanguage(config: Pick<Config, 'DEFAULT_LANGUAGE'>, account: { language?: string } | undefined, pageLanguage?: string): string {
  return supportedLanguage(account?.language) ?? supportedLanguage(pageLanguage) ?? supportedLanguage(config.DEFAULT_LANGUAGE) ?? 'en';
}
