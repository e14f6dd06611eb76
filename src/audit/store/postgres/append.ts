import type pg from 'pg';
import { intentRecordSchema, type IntentRecord, type OutcomeRecord, type RefusalRecord } from '../../records.js';
import { chainedText, chainHash } from '../chain.js';
import type { LiftPlan } from '../contract.js';
import { appliedStatuses, sanctionFamily, setsSanction } from '../standing.js';

type ChainedRecord = IntentRecord | OutcomeRecord | RefusalRecord;

/**
 * Appends one chained record inside the caller's transaction. The chain head row is locked first, so appends from
 * every replica queue up on it and the chain stays one line: each record's `prev` is the hash of the one before it,
 * whichever process wrote that. Returns the record's chain position.
 */
async function appendChained(client: pg.ClientBase, record: ChainedRecord): Promise<number> {
  const { rows } = await client.query<{ count: string; hash: string }>('SELECT count, hash FROM audit_chain_head FOR UPDATE');
  const head = rows[0];
  if (!head) throw new Error('audit_chain_head has no row: the schema was altered by hand');
  return (await insertAfter(client, record, { count: Number(head.count), hash: head.hash })).count;
}

type ChainEnd = { count: number; hash: string };

/** Appends the record after `end`; returns the new end (its position and hash). */
async function insertAfter(client: pg.ClientBase, record: ChainedRecord, end: ChainEnd): Promise<ChainEnd> {
  const { count, hash: prev } = end;
  const seq = count + 1;
  const body = chainedText(record, prev);
  const hash = chainHash(body);
  const accid = record.kind === 'outcome' ? null : record.target.accid.toLowerCase();
  const actor = record.kind === 'outcome' ? null : record.actor;
  await client.query(
    `INSERT INTO audit_records (seq, id, kind, at_ms, accid, actor, body)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [seq, record.id, record.kind, Date.parse(record.at), accid, actor, body],
  );
  await client.query('UPDATE audit_chain_head SET count = $1, hash = $2, id = $3', [seq, hash, record.id]);
  return { count: seq, hash };
}

export async function insertIntent(
  client: pg.ClientBase,
  intent: IntentRecord,
  options: { owner: string; leaseUntil: number; lift?: LiftPlan },
): Promise<void> {
  const seq = await appendChained(client, intent);
  await client.query('INSERT INTO audit_settlement (id, seq, owner, lease_until) VALUES ($1, $2, $3, $4)', [
    intent.id,
    seq,
    options.owner,
    options.leaseUntil,
  ]);
  if (options.lift) {
    await client.query('INSERT INTO audit_lifts (sanction_id, accid, lift_at) VALUES ($1, $2, $3)', [
      intent.id,
      intent.target.accid.toLowerCase(),
      options.lift.liftAt,
    ]);
  }
}

/**
 * Settles intents, in order: for each, the outcome record, the settlement closed and the entry queued for the
 * channel, all in the caller's one transaction. An intent another process (or an earlier outcome of the list) settled
 * first answers false, nothing stored for it; the chain lock taken before the checks makes "check, then append" one
 * step across replicas.
 */
export async function insertOutcomes(client: pg.ClientBase, outcomes: readonly OutcomeRecord[]): Promise<boolean[]> {
  const { rows: heads } = await client.query<{ count: string; hash: string }>('SELECT count, hash FROM audit_chain_head FOR UPDATE');
  const head = heads[0];
  if (!head) throw new Error('audit_chain_head has no row: the schema was altered by hand');
  let end: ChainEnd = { count: Number(head.count), hash: head.hash };
  const stored: boolean[] = [];
  for (const outcome of outcomes) {
    const { rows } = await client.query<{ kind: string; seq: string; body: string }>(
      `SELECT kind, seq, body FROM audit_records WHERE id = $1 AND kind IN ('intent', 'outcome')`,
      [outcome.id],
    );
    const intent = rows.find((row) => row.kind === 'intent');
    if (!intent) throw new RangeError(`outcome for an intent this store does not hold (${outcome.id})`);
    if (rows.some((row) => row.kind === 'outcome')) {
      stored.push(false);
      continue;
    }
    end = await insertAfter(client, outcome, end);
    await client.query('UPDATE audit_settlement SET settled = true WHERE id = $1', [outcome.id]);
    const settled = intentRecordSchema.parse(JSON.parse(intent.body));
    // Queued in the order the changes began (the intent's position), as the channel would have shown them; an account
    // of a batch is not posted on its own (the batch's one message stands for it).
    if (settled.batch === undefined) {
      await client.query('INSERT INTO audit_delivery (id, ready_seq) VALUES ($1, $2)', [outcome.id, intent.seq]);
    }
    if (appliedStatuses.includes(outcome.status)) await recordStanding(client, settled, intent.seq);
    stored.push(true);
  }
  return stored;
}

/** An applied sanction change becomes its account's latest of its kind, unless a later one settled first. */
async function recordStanding(client: pg.ClientBase, intent: IntentRecord, seq: string): Promise<void> {
  const family = sanctionFamily(intent.action);
  if (!family) return;
  await client.query(
    `INSERT INTO audit_standing (accid, family, seq, sanction_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (accid, family) DO UPDATE SET seq = EXCLUDED.seq, sanction_id = EXCLUDED.sanction_id
     WHERE audit_standing.seq < EXCLUDED.seq`,
    [intent.target.accid.toLowerCase(), family, seq, setsSanction(intent.action) ? intent.id : null],
  );
}

export async function insertRefusal(client: pg.ClientBase, refusal: RefusalRecord): Promise<void> {
  const seq = await appendChained(client, refusal);
  // An account of a refused bulk action is posted as part of the refusal that names them all (`partOf`).
  if (refusal.partOf === undefined) await client.query('INSERT INTO audit_delivery (id, ready_seq) VALUES ($1, $2)', [refusal.id, seq]);
}
