import type { PsaProvider } from '../../domain/psa-trigger.ts';
import { autotask } from './autotask.ts';
import { connectwise } from './connectwise.ts';
import { generic } from './generic.ts';
import { halopsa } from './halopsa.ts';
import type { PsaAdapter } from './types.ts';

export const PSA_ADAPTERS: Record<PsaProvider, PsaAdapter> = { connectwise, autotask, halopsa, generic };
