/**
 * Firestore values for the offline Firestore stand-in: field paths, reading a field out of a
 * v1 `Document`, and the Firestore ordering and equality of `Value`s.
 *
 * Everything here works on the protobuf classes of `@firestore-emulator/proto` (google.firestore.v1
 * `Document` / `Value`), the same objects the gRPC layer hands us, so stored documents
 * (`FirestoreStateDocument#toV1Document()`) and query operands compare with one set of rules.
 *
 * Ordering follows https://firebase.google.com/docs/firestore/manage-data/data-types:
 * null < booleans < numbers (NaN first; integers and doubles mixed) < timestamps < strings (UTF-8
 * byte order) < bytes < references (segment by segment) < geo points < arrays < maps.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const serverRequire = createRequire(require.resolve('@firestore-emulator/server'));
const { Value, MapValue, ArrayValue } = serverRequire('@firestore-emulator/proto/dist/google/firestore/v1/document');

export { Value, MapValue, ArrayValue };

const TYPE_RANK = {
  null_value: 0,
  boolean_value: 1,
  integer_value: 2,
  double_value: 2,
  timestamp_value: 3,
  string_value: 4,
  bytes_value: 5,
  reference_value: 6,
  geo_point_value: 7,
  array_value: 8,
  map_value: 9,
};

/** The rank of a value's type in Firestore's cross-type ordering. */
export function typeRank(value) {
  return TYPE_RANK[value.value_type] ?? -1;
}

/** Splits a field path (`a.b`, `` `odd.key`.c ``) into its segments. */
export function parseFieldPath(path) {
  const segments = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (quoted) {
      if (ch === '\\' && i + 1 < path.length) current += path[++i];
      else if (ch === '`') quoted = false;
      else current += ch;
    } else if (ch === '`') {
      quoted = true;
    } else if (ch === '.') {
      segments.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  segments.push(current);
  return segments;
}

/**
 * The value at `fieldPath` in a v1 `Document` (or in a `fields` Map), undefined when absent.
 * `__name__` is the document's own reference.
 */
export function getFieldValue(document, fieldPath) {
  if (fieldPath === '__name__') return Value.fromObject({ reference_value: document.name });
  let fields = document.fields;
  const segments = parseFieldPath(fieldPath);
  for (let i = 0; i < segments.length; i++) {
    const value = fields?.get(segments[i]);
    if (value === undefined) return undefined;
    if (i === segments.length - 1) return value;
    if (value.value_type !== 'map_value') return undefined;
    fields = value.map_value.fields;
  }
  return undefined;
}

function numberOf(value) {
  return value.value_type === 'integer_value' ? Number(value.integer_value) : value.double_value;
}

function compareNumbers(a, b) {
  // NaN sorts before every other number and equals itself (for ordering purposes).
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareUtf8(a, b) {
  return Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

function compareTimestamps(a, b) {
  const seconds = Number(a.seconds) - Number(b.seconds);
  if (seconds !== 0) return Math.sign(seconds);
  return Math.sign(a.nanos - b.nanos);
}

function compareReferences(a, b) {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const c = compareUtf8(as[i], bs[i]);
    if (c !== 0) return c;
  }
  return Math.sign(as.length - bs.length);
}

function sortedEntries(fields) {
  return Array.from(fields.entries()).sort(([a], [b]) => compareUtf8(a, b));
}

/** Firestore's total order of values: negative, zero or positive. */
export function compareValues(a, b) {
  const rankDiff = typeRank(a) - typeRank(b);
  if (rankDiff !== 0) return Math.sign(rankDiff);
  switch (a.value_type) {
    case 'null_value':
      return 0;
    case 'boolean_value':
      return Number(a.boolean_value) - Number(b.boolean_value);
    case 'integer_value':
    case 'double_value':
      return compareNumbers(numberOf(a), numberOf(b));
    case 'timestamp_value':
      return compareTimestamps(a.timestamp_value, b.timestamp_value);
    case 'string_value':
      return compareUtf8(a.string_value, b.string_value);
    case 'bytes_value':
      return Math.sign(Buffer.compare(Buffer.from(a.bytes_value), Buffer.from(b.bytes_value)));
    case 'reference_value':
      return compareReferences(a.reference_value, b.reference_value);
    case 'geo_point_value': {
      const lat = compareNumbers(a.geo_point_value.latitude, b.geo_point_value.latitude);
      return lat !== 0 ? lat : compareNumbers(a.geo_point_value.longitude, b.geo_point_value.longitude);
    }
    case 'array_value': {
      const av = a.array_value.values;
      const bv = b.array_value.values;
      for (let i = 0; i < Math.min(av.length, bv.length); i++) {
        const c = compareValues(av[i], bv[i]);
        if (c !== 0) return c;
      }
      return Math.sign(av.length - bv.length);
    }
    case 'map_value': {
      const ae = sortedEntries(a.map_value.fields);
      const be = sortedEntries(b.map_value.fields);
      for (let i = 0; i < Math.min(ae.length, be.length); i++) {
        const k = compareUtf8(ae[i][0], be[i][0]);
        if (k !== 0) return k;
        const v = compareValues(ae[i][1], be[i][1]);
        if (v !== 0) return v;
      }
      return Math.sign(ae.length - be.length);
    }
    default:
      return 0;
  }
}

/** Equality as used by `==`, `in`, `array-contains`: numbers compare by value, NaN never equals. */
export function valuesEqual(a, b) {
  if (typeRank(a) !== typeRank(b)) return false;
  if (typeRank(a) === TYPE_RANK.integer_value) {
    const x = numberOf(a);
    const y = numberOf(b);
    return x === y; // false for NaN, as in Firestore
  }
  return compareValues(a, b) === 0;
}

export function isNaNValue(value) {
  return value?.value_type === 'double_value' && Number.isNaN(value.double_value);
}

export function isNullValue(value) {
  return value?.value_type === 'null_value';
}

/** A `Value` holding the timestamp of `date` (millisecond precision, as the data plane keeps). */
export function timestampValue(date) {
  const ms = date.getTime();
  return Value.fromObject({ timestamp_value: { seconds: Math.floor(ms / 1000), nanos: (((ms % 1000) + 1000) % 1000) * 1e6 } });
}

/** Protobuf serialization of a value, handy for "did this field change" comparisons. */
export function valueBytes(value) {
  return Buffer.from(value.serializeBinary());
}
