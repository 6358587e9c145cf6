/**
 * A structured-query engine for the offline Firestore stand-in.
 *
 * `@firestore-emulator/server`'s own `FirestoreState#v1Query` ignores collection groups
 * (`all_descendants`), cursors (`startAt`/`startAfter`/`endAt`/`endBefore`), `offset`, nested
 * field paths, nested composite filters, unary filters and the implicit `__name__` ordering.
 * `installQueryEngine` replaces that method on the state instance (the library's RunQuery,
 * RunAggregationQuery and Listen all call it), so every query path gets these semantics.
 *
 * It returns the library's `FirestoreStateDocument` objects, as the original method did.
 * Projections (`select`) are applied by the RunQuery handler (see grpc-handlers.mjs).
 * Not supported: vector search (`find_nearest`).
 */
import { compareValues, getFieldValue, isNaNValue, isNullValue, typeRank, valuesEqual } from './values.mjs';

// google.firestore.v1.StructuredQuery enums (numbers as on the wire).
const COMPOSITE = { AND: 1, OR: 2 };
const OP = {
  LESS_THAN: 1,
  LESS_THAN_OR_EQUAL: 2,
  GREATER_THAN: 3,
  GREATER_THAN_OR_EQUAL: 4,
  EQUAL: 5,
  NOT_EQUAL: 6,
  ARRAY_CONTAINS: 7,
  IN: 8,
  ARRAY_CONTAINS_ANY: 9,
  NOT_IN: 10,
};
const UNARY = { IS_NAN: 2, IS_NULL: 3, IS_NOT_NAN: 4, IS_NOT_NULL: 5 };
const DESCENDING = 2;
const INEQUALITIES = new Set([OP.LESS_THAN, OP.LESS_THAN_OR_EQUAL, OP.GREATER_THAN, OP.GREATER_THAN_OR_EQUAL, OP.NOT_EQUAL, OP.NOT_IN]);

const PARENT_RE = /^projects\/([^/]+)\/databases\/([^/]+)\/documents(?:\/(.+))?$/;

/** An error carrying a gRPC status code, turned into a call status by the handlers. */
export class GrpcError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}
export const INVALID_ARGUMENT = 3;
export const UNIMPLEMENTED = 12;

/** The object holding a parent's collections (`FirestoreStateDatabase` or `FirestoreStateDocument`). */
export function collectionsContainer(state, parent) {
  const m = PARENT_RE.exec(parent);
  if (!m) throw new GrpcError(INVALID_ARGUMENT, `Invalid parent: ${parent}`);
  const [, project, database, rest] = m;
  if (rest) {
    if (rest.split('/').length % 2 !== 0) throw new GrpcError(INVALID_ARGUMENT, `Parent is not a document: ${parent}`);
    return state.getDocument(parent);
  }
  return state.getProject(project).getDatabase(database);
}

/** The collections directly under a container (private field of the library's classes). */
export function childCollections(container) {
  return Object.values(container.collections ?? {});
}

function* descendants(container, collectionId) {
  for (const collection of childCollections(container)) {
    for (const doc of collection.getAllDocuments()) {
      if (doc.metadata.hasExist && (!collectionId || collection.name === collectionId)) yield doc;
      yield* descendants(doc, collectionId);
    }
  }
}

function candidates(state, parent, selector) {
  const container = collectionsContainer(state, parent);
  if (selector.all_descendants) return [...descendants(container, selector.collection_id)];
  const collection = container.collections?.[selector.collection_id];
  return collection ? collection.getAllDocuments().filter((d) => d.metadata.hasExist) : [];
}

function matchesFieldFilter(filter, doc) {
  const value = getFieldValue(doc, filter.field.field_path);
  const operand = filter.value;
  switch (filter.op) {
    case OP.EQUAL:
      return value !== undefined && valuesEqual(value, operand);
    case OP.NOT_EQUAL:
      return value !== undefined && !valuesEqual(value, operand);
    case OP.LESS_THAN:
    case OP.LESS_THAN_OR_EQUAL:
    case OP.GREATER_THAN:
    case OP.GREATER_THAN_OR_EQUAL: {
      // Range filters only match values of the operand's type.
      if (value === undefined || typeRank(value) !== typeRank(operand) || isNaNValue(value)) return false;
      const c = compareValues(value, operand);
      if (filter.op === OP.LESS_THAN) return c < 0;
      if (filter.op === OP.LESS_THAN_OR_EQUAL) return c <= 0;
      if (filter.op === OP.GREATER_THAN) return c > 0;
      return c >= 0;
    }
    case OP.ARRAY_CONTAINS:
      return value?.value_type === 'array_value' && value.array_value.values.some((v) => valuesEqual(v, operand));
    case OP.ARRAY_CONTAINS_ANY:
      return (
        value?.value_type === 'array_value' &&
        value.array_value.values.some((v) => operand.array_value.values.some((o) => valuesEqual(v, o)))
      );
    case OP.IN:
      return value !== undefined && operand.array_value.values.some((o) => valuesEqual(value, o));
    case OP.NOT_IN:
      return value !== undefined && !isNullValue(value) && !operand.array_value.values.some((o) => valuesEqual(value, o));
    default:
      throw new GrpcError(INVALID_ARGUMENT, `Unsupported field filter operator ${filter.op}`);
  }
}

function matchesUnaryFilter(filter, doc) {
  const value = getFieldValue(doc, filter.field.field_path);
  switch (filter.op) {
    case UNARY.IS_NAN:
      return isNaNValue(value);
    case UNARY.IS_NULL:
      return isNullValue(value);
    case UNARY.IS_NOT_NAN:
      return value !== undefined && !isNaNValue(value) && !isNullValue(value);
    case UNARY.IS_NOT_NULL:
      return value !== undefined && !isNullValue(value);
    default:
      throw new GrpcError(INVALID_ARGUMENT, `Unsupported unary filter operator ${filter.op}`);
  }
}

function matches(filter, doc) {
  switch (filter.filter_type) {
    case 'composite_filter': {
      const { op, filters } = filter.composite_filter;
      return op === COMPOSITE.OR ? filters.some((f) => matches(f, doc)) : filters.every((f) => matches(f, doc));
    }
    case 'field_filter':
      return matchesFieldFilter(filter.field_filter, doc);
    case 'unary_filter':
      return matchesUnaryFilter(filter.unary_filter, doc);
    default:
      return true;
  }
}

function inequalityFields(filter, out = new Set()) {
  if (filter.filter_type === 'composite_filter') filter.composite_filter.filters.forEach((f) => inequalityFields(f, out));
  else if (filter.filter_type === 'field_filter' && INEQUALITIES.has(filter.field_filter.op)) out.add(filter.field_filter.field.field_path);
  else if (filter.filter_type === 'unary_filter' && [UNARY.IS_NOT_NAN, UNARY.IS_NOT_NULL].includes(filter.unary_filter.op)) {
    out.add(filter.unary_filter.field.field_path);
  }
  return out;
}

/** Explicit orderings, else the inequality fields, then `__name__` in the last direction. */
function orderingsOf(query) {
  const orders = query.order_by.map((o) => ({ path: o.field.field_path, desc: o.direction === DESCENDING }));
  if (orders.length === 0 && query.has_where) {
    for (const path of [...inequalityFields(query.where)].sort()) orders.push({ path, desc: false });
  }
  if (!orders.some((o) => o.path === '__name__')) orders.push({ path: '__name__', desc: orders.at(-1)?.desc ?? false });
  return orders;
}

function compareByOrders(orders, a, b) {
  for (const { path, desc } of orders) {
    const c = compareValues(getFieldValue(a, path), getFieldValue(b, path));
    if (c !== 0) return desc ? -c : c;
  }
  return 0;
}

function compareToCursor(orders, doc, cursor) {
  for (let i = 0; i < Math.min(cursor.values.length, orders.length); i++) {
    const { path, desc } = orders[i];
    const c = compareValues(getFieldValue(doc, path), cursor.values[i]);
    if (c !== 0) return desc ? -c : c;
  }
  return 0;
}

/** Runs a `StructuredQuery` under `parent`; returns the matching `FirestoreStateDocument`s in order. */
export function runQuery(state, parent, query) {
  if (query.has_find_nearest) throw new GrpcError(UNIMPLEMENTED, 'Vector search (findNearest) is not supported by the offline Firestore stand-in');
  const orders = orderingsOf(query);
  let rows = query.from
    .flatMap((selector) => candidates(state, parent, selector))
    .map((doc) => ({ doc, msg: doc.toV1Document() }))
    .filter(({ msg }) => !query.has_where || matches(query.where, msg))
    // A document without a value for an ordered field is not in the result (Firestore semantics).
    .filter(({ msg }) => orders.every(({ path }) => getFieldValue(msg, path) !== undefined));
  rows.sort((a, b) => compareByOrders(orders, a.msg, b.msg));
  if (query.has_start_at) {
    const { before } = query.start_at;
    rows = rows.filter(({ msg }) => {
      const c = compareToCursor(orders, msg, query.start_at);
      return before ? c >= 0 : c > 0;
    });
  }
  if (query.has_end_at) {
    const { before } = query.end_at;
    rows = rows.filter(({ msg }) => {
      const c = compareToCursor(orders, msg, query.end_at);
      return before ? c < 0 : c <= 0;
    });
  }
  if (query.offset > 0) rows = rows.slice(query.offset);
  if (query.has_limit) rows = rows.slice(0, query.limit.value);
  return rows.map(({ doc }) => doc);
}

/** Replaces the library's query method on this state instance. */
export function installQueryEngine(state) {
  state.v1Query = (parent, query) => runQuery(state, parent, query);
}
