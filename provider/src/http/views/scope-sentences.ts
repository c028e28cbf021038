// What each scope lets an application do, as a sentence a person understands (consent page,
// connected apps). Unknown scopes (added to SCOPES by an administrator) get a plain fallback.
export const SCOPE_SENTENCES: Record<string, string> = {
  openid: 'Sign you in with your HRM account (your account ID).',
  profile: 'See your name and username.',
  email: 'See your e-mail address.',
  hr: 'See your department and job title.',
  hrm: 'See your HR record: photo, manager, employee number, employment status (including leave), department, teams and roles; and look up colleagues in the company directory.',
  read: 'See your profile: name, username, e-mail address, department and job title.',
  write: 'Act on your behalf in the application.',
};

export function scopeSentence(scope: string): string {
  return SCOPE_SENTENCES[scope] ?? `Use the “${scope}” permission (ask your administrators what it allows).`;
}

/** The sentences for a list of scopes, without repeating one (read covers profile, for example). */
export function scopeSentences(scopes: string[]): Array<{ scope: string; sentence: string }> {
  const seen = new Set<string>();
  return scopes.flatMap((scope) => {
    const sentence = scopeSentence(scope);
    if (seen.has(sentence)) return [];
    seen.add(sentence);
    return [{ scope, sentence }];
  });
}
