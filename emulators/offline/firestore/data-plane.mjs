/**
 * Writes and transactions for the offline Firestore stand-in, on top of the in-memory state of
 * `@firestore-emulator/server` (`FirestoreState`).
 *
 * The library's own write path (`FirestoreState#writeV1Document`) is still what stores a
 * document, but every write goes through `DataPlane#applyWrite` first, which fixes what the
 * library gets wrong and records the change for Firestore triggers:
 *
 * - a `set()` without merge replaces the document (the library merged it into the old fields);
 * - `FieldValue.delete()` (a masked field absent from the write) removes the field;
 * - field transforms (`serverTimestamp`, `increment`, `maximum`, `minimum`, `arrayUnion`,
 *   `arrayRemove`) are resolved here into plain values: several per write and nested field paths
 *   work, and the commit returns their results (the library kept only the first transform of a
 *   write and refused nested paths);
 * - preconditions (`exists`, `update_time`) of a whole commit are checked before any write of
 *   it is applied, so a failed `create()` in a batch leaves nothing half-written;
 * - transactions get optimistic concurrency control: every document read in a read-write
 *   transaction is remembered with its version, and the commit fails with ABORTED when one of
 *   them was written since (the SDKs then retry the transaction). The library accepted every
 *   transaction, so concurrent read-modify-write lost updates.
 *
 * Every applied write yields a change `{ path, before, after }` (v1 `Document`s or null), which
 * the gRPC handlers hand to the trigger dispatcher once the commit succeeded.
 */
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { GrpcError } from './query.mjs';
import {
  ArrayValue,
  Value,
  compareValues,
  getFieldValue,
  parseFieldPath,
  timestampValue,
  typeRank,
  valuesEqual,
} from './values.mjs';

const require = createRequire(import.meta.url);
const serverRequire = createRequire(require.resolve('@firestore-emulator/server'));
const { WriteResult } = serverRequire('@firestore-emulator/proto/dist/google/firestore/v1/write');

// gRPC status codes used here.
export const NOT_FOUND = 5;
export const ALREADY_EXISTS = 6;
export const FAILED_PRECONDITION = 9;
export const ABORTED = 10;
export const UNIMPLEMENTED = 12;

const REQUEST_TIME = 1; // DocumentTransform.FieldTransform.ServerValue.REQUEST_TIME
const TRANSACTION_TTL_MS = 10 * 60_000;

const timestampMillis = (ts) => Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6);
const isNumber = (v) => v !== undefined && typeRank(v) === 2;
const numberOf = (v) => (v.value_type === 'integer_value' ? Number(v.integer_value) : v.double_value);

/** The field-path spelling `@firestore-emulator/server`'s mask code understands (backticks only around dotted keys). */
function libraryFieldPath(path) {
  return parseFieldPath(path)
    .map((segment) => (segment.includes('.') ? `\`${segment}\`` : segment))
    .join('.');
}

/** Does an update mask cover `path` (the path itself or one of its parents)? */
function maskCovers(maskPaths, path) {
  const target = parseFieldPath(path);
  return maskPaths.some((p) => {
    const segments = parseFieldPath(p);
    return segments.length <= target.length && segments.every((s, i) => s === target[i]);
  });
}

/** Removes a (possibly nested) field from the library's field record; returns a new record. */
function removeField(fields, segments) {
  const [head, ...rest] = segments;
  if (!(head in fields)) return fields;
  const copy = { ...fields };
  if (rest.length === 0) {
    delete copy[head];
    return copy;
  }
  const child = fields[head];
  if (child.type !== 'map_value') return fields;
  // The library's map-field class is not exported; reuse the instance's constructor.
  copy[head] = new child.constructor(removeField(child.value, rest));
  return copy;
}

/** Puts `value` at `path` in a write's `update.fields`, creating intermediate maps. */
function setWriteField(write, path, value) {
  const segments = parseFieldPath(path);
  let fields = write.update.fields;
  for (const segment of segments.slice(0, -1)) {
    let child = fields.get(segment);
    if (child?.value_type !== 'map_value') {
      child = Value.fromObject({ map_value: { fields: {} } });
      fields.set(segment, child);
    }
    fields = child.map_value.fields;
  }
  fields.set(segments.at(-1), value);
}

function applyTransform(transform, base, date) {
  switch (transform.transform_type) {
    case 'set_to_server_value':
      if (transform.set_to_server_value !== REQUEST_TIME) throw new GrpcError(3, `Unknown server value ${transform.set_to_server_value}`);
      return timestampValue(date);
    case 'increment': {
      const operand = transform.increment;
      if (!isNumber(base)) return operand;
      const sum = numberOf(base) + numberOf(operand);
      const integral = base.value_type === 'integer_value' && operand.value_type === 'integer_value';
      return Value.fromObject(integral ? { integer_value: sum } : { double_value: sum });
    }
    case 'maximum':
    case 'minimum': {
      const operand = transform[transform.transform_type];
      if (!isNumber(base)) return operand;
      const c = compareValues(operand, base);
      return (transform.transform_type === 'maximum' ? c > 0 : c < 0) ? operand : base;
    }
    case 'append_missing_elements': {
      const values = base?.value_type === 'array_value' ? [...base.array_value.values] : [];
      for (const v of transform.append_missing_elements.values) if (!values.some((x) => valuesEqual(x, v))) values.push(v);
      return new Value({ array_value: new ArrayValue({ values }) });
    }
    case 'remove_all_from_array': {
      const values = base?.value_type === 'array_value' ? base.array_value.values : [];
      const removed = transform.remove_all_from_array.values;
      return new Value({ array_value: new ArrayValue({ values: values.filter((x) => !removed.some((r) => valuesEqual(x, r))) }) });
    }
    default:
      throw new GrpcError(UNIMPLEMENTED, `Field transform ${transform.transform_type} is not supported by the offline Firestore stand-in`);
  }
}

export class DataPlane {
  /** @param state the `FirestoreState` of `@firestore-emulator/server` */
  constructor(state) {
    this.state = state;
    this.seq = 0; // global write counter: a document's version is the seq of its last write
    this.versions = new Map(); // document path → version
    this.epoch = 0; // bumped when all data is cleared: open transactions then abort
    this.transactions = new Map(); // hex id → { epoch, reads: Map<path, version>, started }
  }

  document(path) {
    return this.state.getDocument(path);
  }

  snapshot(path) {
    const doc = this.document(path);
    return doc.metadata.hasExist ? doc.toV1Document() : null;
  }

  version(path) {
    return this.versions.get(path) ?? 0;
  }

  /** Deletes every document (the control-plane DELETE .../documents). */
  clear() {
    this.state.clear();
    this.versions.clear();
    this.epoch++;
  }

  // ---- transactions -------------------------------------------------------------------------

  /** Starts a transaction (read-only or read-write: they are tracked alike); returns its id (bytes). */
  beginTransaction() {
    const now = Date.now();
    for (const [key, tx] of this.transactions) if (now - tx.started > TRANSACTION_TTL_MS) this.transactions.delete(key);
    const id = randomBytes(16);
    this.transactions.set(id.toString('hex'), { epoch: this.epoch, reads: new Map(), started: now });
    return new Uint8Array(id);
  }

  /** Remembers the version of a document read inside a transaction. */
  recordRead(transaction, path) {
    const tx = this.transactions.get(Buffer.from(transaction).toString('hex'));
    if (tx && !tx.reads.has(path)) tx.reads.set(path, this.version(path));
  }

  endTransaction(transaction) {
    this.transactions.delete(Buffer.from(transaction).toString('hex'));
  }

  /** Throws ABORTED when a document the transaction read has been written since. */
  validateTransaction(transaction) {
    const tx = this.transactions.get(Buffer.from(transaction).toString('hex'));
    if (!tx) return; // unknown id (e.g. from RunAggregationQuery): nothing was recorded, accept
    if (tx.epoch !== this.epoch) throw new GrpcError(ABORTED, 'Transaction aborted: the database was cleared since it started');
    for (const [path, version] of tx.reads) {
      if (this.version(path) !== version) {
        throw new GrpcError(ABORTED, `Transaction aborted: ${path} was written by another request since this transaction read it (retry)`);
      }
    }
  }

  // ---- writes -------------------------------------------------------------------------------

  /** Checks the preconditions of a list of writes against the current data, in order. */
  checkPreconditions(writes) {
    const exists = new Map(); // existence after the earlier writes of this list
    for (const write of writes) {
      if (!write.has_update && !write.has_delete) {
        throw new GrpcError(UNIMPLEMENTED, 'Only update and delete writes are supported by the offline Firestore stand-in');
      }
      const path = write.has_delete ? write.delete : write.update.name;
      const doc = this.document(path);
      const present = exists.has(path) ? exists.get(path) : doc.metadata.hasExist;
      if (write.has_current_document) {
        const pre = write.current_document;
        if (pre.has_exists && pre.exists && !present) throw new GrpcError(NOT_FOUND, `No document to update: ${path}`);
        if (pre.has_exists && !pre.exists && present) throw new GrpcError(ALREADY_EXISTS, `Document already exists: ${path}`);
        if (pre.has_update_time) {
          const current = present && !exists.has(path) ? doc.metadata.updatedAt.getTime() : null;
          if (current !== timestampMillis(pre.update_time)) {
            throw new GrpcError(FAILED_PRECONDITION, `The document ${path} does not have the required update time`);
          }
        }
      }
      exists.set(path, !write.has_delete);
    }
  }

  /**
   * Resolves a write's field transforms into plain field values (and update-mask entries), so
   * the library stores them as ordinary fields. Returns the transform results, in order.
   */
  resolveTransforms(date, write, before) {
    const transforms = write.update_transforms;
    if (transforms.length === 0) return [];
    const results = [];
    for (const transform of transforms) {
      const path = transform.field_path;
      const mask = write.has_update_mask ? write.update_mask.field_paths : null;
      // The value the transform starts from: the write's own value when the write sets the
      // field, else the stored one (unless the write replaces the whole document).
      const fromWrite = getFieldValue({ fields: write.update.fields }, path);
      let base;
      if (fromWrite !== undefined && (!mask || maskCovers(mask, path))) base = fromWrite;
      else if (mask && before) base = getFieldValue(before, path);
      const result = applyTransform(transform, base, date);
      setWriteField(write, path, result);
      if (mask && !mask.includes(path)) write.update_mask.field_paths = [...mask, path];
      results.push(result);
    }
    write.update_transforms = [];
    return results;
  }

  /**
   * Applies one write (preconditions already checked). Returns the v1 WriteResult and the
   * change `{ path, before, after }` (null when a delete met no document).
   */
  applyWrite(date, write) {
    const path = write.has_delete ? write.delete : write.update.name;
    const doc = this.document(path);
    const before = doc.metadata.hasExist ? doc.toV1Document() : null;
    let transformResults = [];
    if (write.has_update) {
      transformResults = this.resolveTransforms(date, write, before);
      const mask = write.has_update_mask ? write.update_mask.field_paths : null;
      if (mask) write.update_mask.field_paths = mask.map(libraryFieldPath);
      const previousFields = doc.fields;
      // A write without mask is a full set: start from an empty document (the library merges).
      if (!mask && before) doc.fields = {};
      try {
        this.state.writeV1Document(date, write);
      } catch (error) {
        doc.fields = previousFields;
        throw error;
      }
      // Masked fields the write does not carry are deletions (FieldValue.delete()).
      for (const maskPath of mask ?? []) {
        if (getFieldValue({ fields: write.update.fields }, maskPath) === undefined) {
          doc.fields = removeField(doc.fields, parseFieldPath(maskPath));
        }
      }
    } else {
      this.state.writeV1Document(date, write);
    }
    this.versions.set(path, ++this.seq);
    const after = doc.metadata.hasExist ? doc.toV1Document() : null;
    const result = new WriteResult({ update_time: timestampValue(date).timestamp_value, transform_results: transformResults });
    return { result, change: before || after ? { path, before, after } : null };
  }

  /**
   * A Commit: checks the transaction and the preconditions, then applies every write with one
   * commit time. Throws a GrpcError (nothing applied) when a check fails.
   */
  commit(writes, transaction) {
    const inTransaction = transaction && transaction.length > 0;
    try {
      if (inTransaction) this.validateTransaction(transaction);
      this.checkPreconditions(writes);
      const date = new Date();
      const applied = writes.map((write) => this.applyWrite(date, write));
      return { date, results: applied.map((a) => a.result), changes: applied.map((a) => a.change).filter(Boolean) };
    } finally {
      if (inTransaction) this.endTransaction(transaction);
    }
  }
}
