// The store's public face: the Store class and the pieces tests and benchmarks use.
export { Store, type LatestValue, type MaintainReport } from './store';
export { type OpenOptions, openDatabase, fileBytes, type Db } from './db';
export { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion, type Migration } from './migrations';
export { ChunkEncoder, decodeChunk, type DecodedChunk, MAX_POINTS } from './codec';
export { ChunkCorrupt } from './bits';
export { RES, RESOLUTIONS, MAX_CHUNK_BYTES, SECOND, MINUTE, HOUR, DAY } from './chunks';
export {
  SIGNIFICANT_DIGITS,
  RAW_TIME_UNIT,
  normalizeValue,
  quantize,
  rawSampleTime,
  sortedLabels,
} from './series';
export {
  ROLLUP_GRACE_MS,
  rollupRaw,
  rollupRollups,
  emptyRollup,
  type RollupPoints,
  type RollupRes,
} from './rollup';
export { retentionCutoffs, type RetentionReport } from './retention';
export { chooseResolution, fallbackOrder, jsonSafe } from './query';
export {
  GAP_FACTOR,
  downsampleRaw,
  insertGaps,
  joinLines,
  lttb,
  medianDelta,
  shapeRaw,
  shapeRollup,
  shareBudget,
  type Line,
} from './downsample';
export { DEFAULT_SETTINGS } from './inventory';
export {
  AuditLog,
  auditHash,
  GENESIS_HASH,
  type AuditInput,
  type AuditVerification,
} from './audit';
export { AlertTables, publicAlert, type StoredAlert } from './alerts';
