import type { Db } from '../platform/db';
import { appClientMetadata, findApp } from './apps';

/**
 * Where the OAuth server keeps its records: our database (OAuthRecord), so that every instance
 * of the service sees the same grants and tokens, and a token revoked on one is revoked on all.
 * This is oidc-provider's storage interface (an "adapter"), one object per kind of record.
 * Clients are not stored here: they are the apps in the registry (App), read as they are now.
 */

type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string; consumed?: number };

export type OAuthStore = {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
};

function key(model: string, id: string): string {
  return `${model}:${id}`;
}

function live(row: { payload: string; expiresAt: Date | null; consumedAt: Date | null } | null, now = new Date()): Payload | undefined {
  if (!row || (row.expiresAt && row.expiresAt <= now)) return undefined;
  const payload = JSON.parse(row.payload) as Payload;
  return row.consumedAt ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) } : payload;
}

/** The store for one kind of record (oidc-provider calls this with each model's name). */
export function oauthStore(db: () => Db, model: string): OAuthStore {
  if (model === 'Client') return clientStore(db);
  return {
    async upsert(id, payload, expiresIn) {
      const data = {
        model,
        payload: JSON.stringify(payload),
        grantId: payload.grantId ?? null,
        uid: payload.uid ?? null,
        userCode: payload.userCode ?? null,
        expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      };
      await db().oAuthRecord.upsert({ where: { id: key(model, id) }, create: { id: key(model, id), ...data }, update: data });
    },
    async find(id) {
      return live(await db().oAuthRecord.findUnique({ where: { id: key(model, id) } }));
    },
    async findByUid(uid) {
      return live(await db().oAuthRecord.findFirst({ where: { model, uid } }));
    },
    async findByUserCode(userCode) {
      return live(await db().oAuthRecord.findFirst({ where: { model, userCode } }));
    },
    async consume(id) {
      await db().oAuthRecord.updateMany({ where: { id: key(model, id) }, data: { consumedAt: new Date() } });
    },
    async destroy(id) {
      await db().oAuthRecord.deleteMany({ where: { id: key(model, id) } });
    },
    async revokeByGrantId(grantId) {
      await revokeGrant(db(), grantId);
    },
  };
}

/** Removes a grant and every code and token made under it, whichever kind. */
export async function revokeGrant(db: Db, grantId: string): Promise<void> {
  await db.oAuthRecord.deleteMany({ where: { OR: [{ grantId }, { id: key('Grant', grantId) }] } });
}

/** Removes records that have expired (run now and then; expired records are never used anyway). */
export async function removeExpiredOAuthRecords(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.oAuthRecord.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}

/** Apps are clients: read from the registry each time, so a withdrawn app stops at once. */
function clientStore(db: () => Db): OAuthStore {
  const readOnly = async () => undefined;
  return {
    async find(id) {
      const app = await findApp(db(), id);
      return app && !app.withdrawnAt ? (appClientMetadata(app) as Payload) : undefined;
    },
    upsert: readOnly,
    findByUid: readOnly,
    findByUserCode: readOnly,
    consume: readOnly,
    destroy: readOnly,
    revokeByGrantId: readOnly,
  };
}
