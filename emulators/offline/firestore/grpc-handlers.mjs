/**
 * gRPC method overrides for `@firestore-emulator/server`.
 *
 * The library registers its google.firestore.v1.Firestore service on a grpc-js Server; this
 * module swaps some methods for our own (grpc-js `unregister` + `register`, with the library's
 * message classes for (de)serialization):
 *
 * - Commit, BatchWrite: go through DataPlane (write fixes, preconditions, transactions) and
 *   dispatch Firestore trigger events once the writes are stored;
 * - BeginTransaction, BatchGetDocuments, RunQuery, Rollback: real transaction ids, and reads
 *   recorded for optimistic concurrency; RunQuery also applies `select()` projections;
 * - ListCollectionIds (`listCollections()`), ListDocuments (`listDocuments()`): missing in the
 *   library.
 * Listen (onSnapshot) and RunAggregationQuery (count/sum/avg) stay the library's, on top of our
 * query engine. Write (the streaming write of the web SDKs), GetDocument, UpdateDocument,
 * DeleteDocument, CreateDocument and PartitionQuery stay unimplemented (firebase-admin does not
 * use them).
 */
import { createRequire } from 'node:module';
import { GrpcError, childCollections, collectionsContainer } from './query.mjs';
import { timestampValue } from './values.mjs';
import { authOf } from './triggers.mjs';

const require = createRequire(import.meta.url);
const serverRequire = createRequire(require.resolve('@firestore-emulator/server'));
const proto = (name) => serverRequire(`@firestore-emulator/proto/dist/google/${name}`);
const {
  UnimplementedFirestoreService,
  BatchGetDocumentsResponse,
  BatchWriteResponse,
  BeginTransactionResponse,
  CommitResponse,
  ListCollectionIdsResponse,
  ListDocumentsResponse,
  RunQueryResponse,
} = proto('firestore/v1/firestore');
const { Document } = proto('firestore/v1/document');
const { WriteResult } = proto('firestore/v1/write');
const { Empty } = proto('protobuf/empty');
const { Status } = proto('rpc/status');

const INTERNAL = 13;

/** A grpc-js status object for an error (GrpcError keeps its code). */
function statusOf(error, log) {
  if (error instanceof GrpcError || (Number.isInteger(error?.code) && error.code > 0 && error.code < 17)) {
    return { code: error.code, details: error.message, message: error.message };
  }
  log(`internal error: ${error?.stack ?? error}`);
  return { code: INTERNAL, details: `offline Firestore stand-in: ${error?.message ?? error}`, message: String(error?.message ?? error) };
}

/** Keeps only the top-level fields named by a projection (`select()`); `__name__` alone keeps none. */
function project(document, fieldPaths) {
  if (!fieldPaths) return document;
  const keep = new Set(fieldPaths.filter((p) => p !== '__name__').map((p) => p.split('.')[0].replace(/`/g, '')));
  for (const key of [...document.fields.keys()]) if (!keep.has(key)) document.fields.delete(key);
  return document;
}

/**
 * Installs the overrides.
 * @param grpcServer the library's grpc-js Server
 * @param state the library's FirestoreState
 * @param dataPlane our DataPlane
 * @param dispatcher our TriggerDispatcher
 * @param log logging function
 */
/** The document a write changes. */
const writePath = (write) => (write.has_delete ? write.delete : write.update.name);

export function installGrpcHandlers({ grpcServer, state, dataPlane, dispatcher, stats, log }) {
  const definition = UnimplementedFirestoreService.definition;
  const override = (name, type, handler) => {
    const method = definition[name];
    grpcServer.unregister(method.path);
    grpcServer.register(method.path, handler, method.responseSerialize, method.requestDeserialize, type);
  };
  const unary = (name, fn) =>
    override(name, 'unary', (call, callback) => {
      try {
        fn(call, callback);
      } catch (error) {
        callback(statusOf(error, log));
      }
    });
  const serverStream = (name, fn) =>
    override(name, 'serverStream', (call) => {
      try {
        fn(call);
      } catch (error) {
        call.emit('error', statusOf(error, log));
      }
    });
  const hasTransaction = (request) => request.transaction?.length > 0;
  const dispatch = (changes, call, date) => {
    try {
      dispatcher.dispatch(changes, authOf(call.metadata), date);
    } catch (error) {
      log(`event dispatch failed: ${error?.stack ?? error}`);
    }
  };

  unary('BeginTransaction', (call, callback) => {
    callback(null, new BeginTransactionResponse({ transaction: dataPlane.beginTransaction() }));
  });

  unary('Rollback', (call, callback) => {
    dataPlane.endTransaction(call.request.transaction);
    callback(null, new Empty());
  });

  unary('Commit', (call, callback) => {
    const { date, results, changes } = dataPlane.commit(call.request.writes, call.request.transaction);
    for (const write of call.request.writes) if (write.has_update || write.has_delete) stats.write(writePath(write));
    callback(null, new CommitResponse({ commit_time: timestampValue(date).timestamp_value, write_results: results }));
    dispatch(changes, call, date);
  });

  unary('BatchWrite', (call, callback) => {
    // Independent writes, each with its own status (BulkWriter, recursiveDelete).
    const date = new Date();
    const results = [];
    const statuses = [];
    const changes = [];
    for (const write of call.request.writes) {
      try {
        dataPlane.checkPreconditions([write]);
        const { result, change } = dataPlane.applyWrite(date, write);
        if (write.has_update || write.has_delete) stats.write(writePath(write));
        results.push(result);
        statuses.push(new Status({ code: 0 }));
        if (change) changes.push(change);
      } catch (error) {
        const status = statusOf(error, log);
        results.push(new WriteResult());
        statuses.push(new Status({ code: status.code, message: status.details }));
      }
    }
    callback(null, new BatchWriteResponse({ write_results: results, status: statuses }));
    dispatch(changes, call, date);
  });

  serverStream('BatchGetDocuments', (call) => {
    const request = call.request;
    const readTime = timestampValue(new Date()).timestamp_value;
    let transaction = hasTransaction(request) ? request.transaction : null;
    if (request.has_new_transaction) {
      transaction = dataPlane.beginTransaction();
      call.write(new BatchGetDocumentsResponse({ transaction }));
    }
    for (const path of request.documents) {
      if (transaction) dataPlane.recordRead(transaction, path);
      const snapshot = dataPlane.snapshot(path);
      stats.read(path); // a missing document is billed as a read too
      if (snapshot) {
        if (request.has_mask) project(snapshot, request.mask.field_paths);
        call.write(new BatchGetDocumentsResponse({ found: snapshot, read_time: readTime }));
      } else {
        call.write(new BatchGetDocumentsResponse({ missing: path, read_time: readTime }));
      }
    }
    call.end();
  });

  serverStream('RunQuery', (call) => {
    const request = call.request;
    const readTime = timestampValue(new Date()).timestamp_value;
    let transaction = hasTransaction(request) ? request.transaction : null;
    let newTransaction = null;
    if (request.has_new_transaction) transaction = newTransaction = dataPlane.beginTransaction();
    const query = request.structured_query;
    const docs = state.v1Query(request.parent, query);
    const select = query.has_select ? query.select.fields.map((f) => f.field_path) : null;
    const base = { read_time: readTime, skipped_results: 0, ...(newTransaction ? { transaction: newTransaction } : {}) };
    if (docs.length === 0) call.write(new RunQueryResponse({ ...base, done: true }));
    if (docs.length === 0) stats.read(`${request.parent}/${query.from?.[0]?.collection_id ?? '?'}/-`); // billed as one read
    docs.forEach((doc, i) => {
      stats.read(doc.getPath());
      if (transaction) dataPlane.recordRead(transaction, doc.getPath());
      const document = project(doc.toV1Document(), select);
      call.write(new RunQueryResponse({ ...base, document, ...(i === docs.length - 1 ? { done: true } : {}) }));
    });
    call.end();
  });

  unary('ListCollectionIds', (call, callback) => {
    const container = collectionsContainer(state, call.request.parent);
    const ids = childCollections(container)
      .filter((c) => c.hasChild())
      .map((c) => c.name)
      .sort();
    callback(null, new ListCollectionIdsResponse({ collection_ids: ids, next_page_token: '' }));
  });

  unary('ListDocuments', (call, callback) => {
    // One page with everything; missing documents (only subcollections) with show_missing.
    const { parent, collection_id: collectionId, show_missing: showMissing } = call.request;
    const collection = collectionsContainer(state, parent).collections?.[collectionId];
    const mask = call.request.has_mask ? call.request.mask.field_paths : null;
    const documents = [];
    for (const doc of collection?.getAllDocuments() ?? []) {
      if (doc.metadata.hasExist) documents.push(project(doc.toV1Document(), mask));
      else if (showMissing && doc.hasChild()) documents.push(new Document({ name: doc.getPath() }));
    }
    documents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    callback(null, new ListDocumentsResponse({ documents, next_page_token: '' }));
  });
}
