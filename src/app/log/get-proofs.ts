/** Inclusion and consistency proofs of the MSP's own log. */
import type { Hash } from '../../domain/merkle.ts';
import type { Actor, App } from '../context.ts';
import { consistencyProof, inclusionProof } from './transparency-log.ts';

export const inclusionProofOf = (app: App, actor: Actor, index: number, size: number): Promise<Hash[]> =>
  inclusionProof(app.database.db, actor.tenantId, index, size);

export const consistencyProofOf = (app: App, actor: Actor, from: number, to: number): Promise<Hash[]> =>
  consistencyProof(app.database.db, actor.tenantId, from, to);
