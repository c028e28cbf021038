// Password strength with zxcvbn-ts (English and common dictionaries): the same scorer the
// account page runs in the browser (public/password-strength.js), enforced here.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

export const SCORE_LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

let factory: ZxcvbnFactory | undefined;

function scorer(): ZxcvbnFactory {
  // Built on first use: loading the dictionaries takes a few hundred milliseconds.
  factory ??= new ZxcvbnFactory({ translations: en.translations, graphs: common.adjacencyGraphs, dictionary: { ...common.dictionary, ...en.dictionary } });
  return factory;
}

export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
  /** What is wrong and how to do better, in sentences (may be empty). */
  feedback: string[];
}

/** `userInputs`: the user's own name, username and e-mail, which a password must not lean on. */
export function passwordStrength(password: string, userInputs: string[] = []): Strength {
  const r = scorer().check(password.slice(0, 256), userInputs.filter(Boolean));
  const score = r.score as Strength['score'];
  const feedback = [r.feedback.warning, ...r.feedback.suggestions].filter((s): s is string => !!s);
  return { score, label: SCORE_LABELS[score], feedback };
}
