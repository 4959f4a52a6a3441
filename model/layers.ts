/**
 * The medallion layers of the lakehouse. Each layer is a schema of the environment's
 * catalog (its name overridable per environment): sources land files in `landing`, jobs
 * and pipelines stage them in `bronze`, clean and key them in `silver`, publish business
 * tables in `gold`, and keep their own bookkeeping (batch control, watermarks) in `ops`.
 */
export const LAYERS = ['landing', 'bronze', 'silver', 'gold', 'ops'] as const;
export type Layer = (typeof LAYERS)[number];

export function isLayer(value: string): value is Layer {
  return (LAYERS as readonly string[]).includes(value);
}
