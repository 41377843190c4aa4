/**
 * What starting an offboarding would plan, without starting it: the same planner on the same
 * inputs as the start (the client's facts, calendar and the MSP's playbook), so the person can
 * see the due dates and any `infeasible` warning before confirming.
 */
import type { z } from 'zod';
import { NotFoundError } from '../../domain/errors.ts';
import { type PlanWarning, plan } from '../../domain/planner.ts';
import { clientsRepo } from '../../storage/repositories.ts';
import { type Actor, type App, parseInput } from '../context.ts';
import { StartOffboardingInput, planningInputs } from './start-offboarding.ts';

export type PlanPreview = {
  timezone: string;
  revocationDate: string;
  tasks: { key: string; title: string; phase: number; role: string; due: string; dueAt: string; dependsOn: string[]; gates: string[] }[];
  warnings: PlanWarning[];
};

export async function previewOffboarding(app: App, actor: Actor, input: z.input<typeof StartOffboardingInput>): Promise<PlanPreview> {
  const data = parseInput(StartOffboardingInput, input, 'offboarding');
  const db = app.database.db;
  const client = await clientsRepo.get(db, actor.tenantId, data.clientId);
  if (!client) throw new NotFoundError('client', data.clientId);
  const { playbook, facts } = await planningInputs(db, actor.tenantId, client, data);
  const planned = plan(playbook, facts);
  return {
    timezone: facts.client.timezone,
    revocationDate: planned.revocationDate,
    tasks: planned.tasks.map((t) => ({
      key: t.key,
      title: t.title,
      phase: t.phase,
      role: t.role,
      due: t.due,
      dueAt: t.dueAt,
      dependsOn: [...t.dependsOn],
      gates: [...t.gates],
    })),
    warnings: planned.warnings,
  };
}
