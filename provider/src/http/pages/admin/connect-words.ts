// The Connect page's words in the admin's language. domain/rocketchat/connect-values.ts builds the
// values to paste (the same for every language) with English notes and explanations; here they are
// replaced by the catalogue's words, chosen by the value's id and the setup it belongs to. Field
// labels stay as they are: they are Rocket.Chat's own setting names. Anything not listed here keeps
// the domain's English text.
import type { Translate } from '../../../kernel/i18n/translator';
import type { ClientDoc } from '../../../db/schema';
import { OAUTH_SETTINGS_PATH, type ConnectValue, type LoginSetup } from '../../../domain/rocketchat/connect-values';

type Kind = 'app' | 'wordpress' | 'custom';

/** Notes by "kind/value id": literal t() calls, so the catalogue test sees every key. */
function notes(t: Translate): Record<string, string> {
  return {
    'app/provider-url': t('admin-connect:notes.appProviderUrl'),
    'app/client-id': t('admin-connect:notes.appClientId'),
    'app/client-secret': t('admin-connect:notes.appClientSecret'),
    'wordpress/server-type': t('admin-connect:notes.chooseFieldsAppear'),
    'wordpress/identity-token-sent-via': t('admin-connect:notes.choosePayloadToo'),
    'custom/token-sent-via': t('admin-connect:notes.choosePayloadTooSentence'),
    'custom/identity-token-sent-via': t('admin-connect:notes.choose'),
    'custom/login-style': t('admin-connect:notes.choosePopupToo'),
    'custom/key-field': t('admin-connect:notes.choose'),
    'custom/merge-users': t('admin-connect:notes.mergeUsers'),
  };
}

function kindOf(preset: ClientDoc['preset']): Kind {
  return preset === 'rocketchat-app' ? 'app' : preset === 'rocketchat-wordpress' ? 'wordpress' : 'custom';
}

/** The secret's placeholder when it is not shown (the value itself is never translated). */
function secretValue(t: Translate, v: ConnectValue, client: ClientDoc, secret?: string): string {
  if (client.type === 'public') return t('admin-connect:publicNoSecret');
  return secret ? v.value : t('admin-connect:secretHidden');
}

export function translateValues(t: Translate, values: ConnectValue[], client: ClientDoc, kind: Kind = kindOf(client.preset), secret?: string): ConnectValue[] {
  const words = notes(t);
  return values.map((v) => ({
    ...v,
    value: v.id === 'client-secret' ? secretValue(t, v, client, secret) : v.value,
    note: v.note ? (words[`${kind}/${v.id}`] ?? v.note) : undefined,
  }));
}

export function translateSetups(t: Translate, setups: LoginSetup[], client: ClientDoc, secret?: string): LoginSetup[] {
  const labels = { creates: t('admin-connect:setups.labels.creates'), existing: t('admin-connect:setups.labels.existing'), button: t('admin-connect:setups.labels.button') };
  const check = t('admin-connect:setups.overlapCheck');
  return setups.map((s) => {
    const wordpress = s.id === 'wordpress';
    return {
      ...s,
      title: wordpress ? t('admin-connect:setups.wordpress.title') : t('admin-connect:setups.customOauth.title'),
      edition: wordpress ? t('admin-connect:setups.wordpress.edition') : t('admin-connect:setups.customOauth.edition'),
      intro: wordpress ? t('admin-connect:setups.wordpress.intro', { path: OAUTH_SETTINGS_PATH }) : t('admin-connect:setups.customOauth.intro', { path: OAUTH_SETTINGS_PATH }),
      values: translateValues(t, s.values, client, wordpress ? 'wordpress' : 'custom', secret),
      firstLogin: wordpress
        ? [
            { label: labels.creates, text: t('admin-connect:setups.wordpressCreates') },
            { label: labels.existing, text: t('admin-connect:setups.wordpressExisting', { check }) },
            { label: labels.button, text: t('admin-connect:setups.wordpressButton') },
          ]
        : [
            { label: labels.creates, text: t('admin-connect:setups.customCreates') },
            { label: labels.existing, text: t('admin-connect:setups.customExisting', { check }) },
            { label: labels.button, text: t('admin-connect:setups.customButton') },
          ],
    };
  });
}
