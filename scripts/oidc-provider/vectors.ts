/**
 * Vectors of Trust (RFC 8485) as GOV.UK One Login and NHS login use them.
 *
 * The `vtr` authorisation parameter is a JSON array of acceptable vectors, ORed together;
 * each vector ANDs its components. One Login writes credential first ("Cl.Cm.P2"), NHS
 * login writes the proofing level first ("P9.Cp.Cd"). A vector without a proofing level
 * accepts any level, which we treat as P0.
 */

export type Scheme = 'onelogin' | 'nhslogin';

export interface Vector {
  /** Credential components in canonical order, e.g. "Cl.Cm" or "Cp.Cd". */
  credential: string;
  /** Identity proofing level, e.g. "P0", "P2", "P9". */
  level: string;
}

interface SchemeRules {
  credentials: readonly string[];
  levels: readonly string[];
  defaultVtr: readonly string[];
  levelFirst: boolean;
}

const rules: Record<Scheme, SchemeRules> = {
  // One Login: Cl = password, Cm = second factor; P2 = medium identity confidence.
  // Without vtr it authenticates at Cl.Cm.
  onelogin: { credentials: ['Cl', 'Cm'], levels: ['P0', 'P2'], defaultVtr: ['Cl.Cm'], levelFirst: false },
  // NHS login: Cp password, Cd registered device, Ck shared key, Cm asymmetric key;
  // P0 none, P5 knowledge-based, P9 physical comparison. The default is our choice.
  nhslogin: { credentials: ['Cp', 'Cd', 'Ck', 'Cm'], levels: ['P0', 'P5', 'P9'], defaultVtr: ['P5.Cp.Cd'], levelFirst: true },
};

export class VtrError extends Error {}

export function parseVector(scheme: Scheme, text: string): Vector {
  const rule = rules[scheme];
  const parts = text.split('.');
  const levels = parts.filter((part) => /^P\d+$/.test(part));
  const credentials = parts.filter((part) => !levels.includes(part));
  const level = levels[0] ?? 'P0';
  if (levels.length > 1 || new Set(parts).size !== parts.length || !rule.levels.includes(level)) {
    throw new VtrError(`Unsupported vector ${text}`);
  }
  if (credentials.length === 0 || credentials.some((component) => !rule.credentials.includes(component))) {
    throw new VtrError(`Unsupported vector ${text}`);
  }
  // One Login always needs the password (Cl), and identity only at medium authentication.
  if (scheme === 'onelogin' && (!credentials.includes('Cl') || (level === 'P2' && !credentials.includes('Cm')))) {
    throw new VtrError(`Unsupported vector ${text}`);
  }
  return { credential: rule.credentials.filter((component) => credentials.includes(component)).join('.'), level };
}

/** The acceptable vectors of a `vtr` parameter (absent: the scheme's default). */
export function parseVtr(scheme: Scheme, raw: unknown): Vector[] {
  if (raw === undefined) return rules[scheme].defaultVtr.map((text) => parseVector(scheme, text));
  let list: unknown;
  try {
    list = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    throw new VtrError('vtr is not JSON');
  }
  if (!Array.isArray(list) || list.length === 0 || list.length > 10 || !list.every((item) => typeof item === 'string')) {
    throw new VtrError('vtr must be a JSON array of vector strings');
  }
  return list.map((text) => parseVector(scheme, text));
}

export function formatVector(scheme: Scheme, vector: Vector): string {
  if (scheme === 'nhslogin') return `${vector.level}.${vector.credential}`;
  // One Login leaves P0 out: "Cl.Cm" is authentication only.
  return vector.level === 'P0' ? vector.credential : `${vector.credential}.${vector.level}`;
}

const rank = (level: string) => Number(level.slice(1));

/** The lowest proofing level any acceptable vector allows. */
function requiredRank(vectors: readonly Vector[]): number {
  return Math.min(...vectors.map((vector) => rank(vector.level)));
}

/**
 * Whether the user meets the identity check page. One Login runs its identity journey
 * whenever every acceptable vector needs P2. NHS login does for P9, or when the user's
 * proven level is below the lowest acceptable one.
 */
export function identityStepNeeded(scheme: Scheme, vectors: readonly Vector[], userLevel: string): boolean {
  const required = requiredRank(vectors);
  if (scheme === 'onelogin') return required === rank('P2');
  return required === rank('P9') || rank(userLevel) < required;
}

/**
 * The vector this request reaches: the user's real proofing level (One Login reports
 * identity only when it was asked for), with the credential part of the first acceptable
 * vector that level meets, or of the first vector when none is met. A level below what was
 * asked is returned as it is: the relying party must check it.
 */
export function achievedVector(scheme: Scheme, vectors: readonly Vector[], userLevel: string): string {
  const level = scheme === 'onelogin' && requiredRank(vectors) === 0 ? 'P0' : userLevel;
  const met = vectors.find((vector) => rank(vector.level) <= rank(level)) ?? vectors[0];
  if (!met) throw new VtrError('no vectors');
  return formatVector(scheme, { credential: met.credential, level });
}
