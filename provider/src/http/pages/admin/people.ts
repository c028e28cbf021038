// /admin/people/ — bring people in: CSV import (upload → preview of the diff → apply), SCIM
// provisioning connections (token shown once, revoke) and the directory sync (preview, sync now,
// last runs). Every change goes through domain/people/ and is audited as the signed-in admin.
import { Router, type Request, type Response } from 'express';
import { AppError } from '../../../kernel/errors';
import { applyImport, MATCH_KEYS, parsePeopleCsv, planImport, type MatchKey } from '../../../domain/people/csv-import';
import { CSV_COLUMN_NAMES } from '../../../domain/people/csv-format';
import { inviteAfterCreate } from '../../../domain/people/invite';
import { directorySettings } from '../../../domain/people/directory/presets';
import { runDirectorySync } from '../../../domain/people/directory/run';
import { requireCsrf } from '../../middleware/csrf';
import { multipartUpload } from '../../kit/multipart';
import { audit, field, me, type PageDeps } from '../../kit/pages';
import type { PersonField } from '../../../domain/people/person';
import type { Translate } from '../../../kernel/i18n/translator';
import { tr } from '../../middleware/language';
import { adminNotice, translatedError } from './admin-text';

/** The import preview names the fields a row changes; English keeps the field names of the data. */
const FIELD_LABELS: Record<PersonField, (t: Translate) => string> = {
  email: (t) => t('admin-people:fields.email'),
  name: (t) => t('admin-people:fields.name'),
  givenName: (t) => t('admin-people:fields.givenName'),
  familyName: (t) => t('admin-people:fields.familyName'),
  department: (t) => t('admin-people:fields.department'),
  jobTitle: (t) => t('admin-people:fields.jobTitle'),
  manager: (t) => t('admin-people:fields.manager'),
  employeeNumber: (t) => t('admin-people:fields.employeeNumber'),
  teams: (t) => t('admin-people:fields.teams'),
  employmentStatus: (t) => t('admin-people:fields.employmentStatus'),
  leaveUntil: (t) => t('admin-people:fields.leaveUntil'),
  leftAt: (t) => t('admin-people:fields.leftAt'),
  hrRoles: (t) => t('admin-people:fields.hrRoles'),
};

function fieldLabeller(res: Response) {
  const t = tr(res);
  return (f: string) => (Object.hasOwn(FIELD_LABELS, f) ? FIELD_LABELS[f as PersonField](t) : f);
}

export function peopleRoutes(deps: PageDeps) {
  const router = Router();
  const { services } = deps;
  const { config } = services;

  async function renderPage(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const settings = directorySettings(config);
    res.status(status).render('admin/people.njk', {
      section: 'people',
      notice: adminNotice(req, res),
      columns: CSV_COLUMN_NAMES,
      matchKeys: MATCH_KEYS,
      maxMegabytes: (config.CSV_IMPORT_MAX_BYTES / 1048576).toFixed(1),
      connections: await services.scimConnections.list(),
      scimUrl: `${config.issuer}/scim/v2`,
      directory: settings ? { url: settings.url, baseDn: settings.baseDn, filter: settings.filter, preset: config.LDAP_PRESET, interval: config.LDAP_SYNC_INTERVAL_SECONDS } : null,
      runs: await services.directoryRuns.latest(5),
      ...extra,
    });
  }

  router.get('/people/', (req, res) => renderPage(req, res));

  router.post('/people/import', multipartUpload(() => config.CSV_IMPORT_MAX_BYTES), requireCsrf, async (req: Request, res: Response) => {
    const upload = res.locals.upload;
    const match = (MATCH_KEYS as string[]).includes(field(req, 'match', 20)) ? (field(req, 'match', 20) as MatchKey) : 'username';
    const deactivateMissing = field(req, 'deactivate_missing', 5) === 'on';
    const apply = field(req, 'action', 10) === 'apply';
    const t = tr(res);
    try {
      if (!upload) throw new AppError('csv_missing', t('admin-people:errors.csvMissing'));
      if (upload.tooLarge) throw new AppError('csv_too_large', t('admin-people:errors.csvTooLarge', { size: (config.CSV_IMPORT_MAX_BYTES / 1048576).toFixed(1) }), 413);
      // The preview page sends the same text back in a hidden field.
      const text = typeof req.body?.csv === 'string' && req.body.csv ? Buffer.from(req.body.csv, 'utf8') : upload.data;
      if (text.length === 0) throw new AppError('csv_missing', t('admin-people:errors.csvEmptyUpload'));
      const parsed = parsePeopleCsv(text, config.CSV_IMPORT_MAX_BYTES);
      const plan = await planImport(services, parsed, { match, deactivateMissing });
      if (!apply) {
        return res.render('admin/people-import.njk', { section: 'people', plan, csv: text.toString('utf8'), match, deactivateMissing, filename: upload.filename, fieldLabel: fieldLabeller(res) });
      }
      const actor = me(res).username;
      const invites = inviteAfterCreate(services, actor, deps.log);
      const result = await applyImport(services, plan, { actor, via: 'csv' }, { afterCreate: invites.afterCreate });
      await audit(deps, res, 'people.import', upload.filename || 'upload.csv', { created: result.created.length, updated: result.updated.length, left: result.left.length, errors: result.errors.length, match });
      res.render('admin/people-import.njk', { section: 'people', result, invitations: invites.tally });
    } catch (err) {
      const message = translatedError(res, err);
      if (!message) throw err;
      await renderPage(req, res, { importError: message }, err instanceof AppError && err.status === 413 ? 413 : 400);
    }
  });

  router.post('/people/scim', requireCsrf, async (req: Request, res: Response) => {
    try {
      const { connection, token } = await services.scimConnections.create(field(req, 'name', 100), me(res).username);
      await audit(deps, res, 'scim.connection_create', `scim:${connection.name}`, { id: connection._id });
      // The token is shown on this answer only; it is stored as a digest.
      await renderPage(req, res, { newToken: { name: connection.name, token } });
    } catch (err) {
      const message = translatedError(res, err, { name: field(req, 'name', 100) });
      if (!message) throw err;
      await renderPage(req, res, { scimError: message }, 400);
    }
  });

  router.post('/people/scim/revoke', requireCsrf, async (req: Request, res: Response) => {
    try {
      const c = await services.scimConnections.revoke(field(req, 'name', 100), me(res).username);
      await audit(deps, res, 'scim.connection_revoke', `scim:${c.name}`, { id: c._id });
      res.redirect(303, '/admin/people/?notice=scim-revoked#scim');
    } catch (err) {
      const message = translatedError(res, err, { name: field(req, 'name', 100) });
      if (!message) throw err;
      await renderPage(req, res, { scimError: message }, 400);
    }
  });

  router.post('/people/directory', requireCsrf, async (req: Request, res: Response) => {
    const dryRun = field(req, 'action', 10) !== 'sync';
    try {
      const outcome = await runDirectorySync(services, { trigger: 'admin', dryRun, actor: me(res).username, log: deps.log });
      await renderPage(req, res, { directoryOutcome: { dryRun, plan: outcome.plan, result: outcome.result } });
    } catch (err) {
      // LDAP failures name the server's own reason and stay in English.
      const message = translatedError(res, err);
      if (!message) throw err;
      await renderPage(req, res, { directoryError: message }, 400);
    }
  });

  return router;
}
