/**
 * firebase-admin for the tests, loaded from functions/node_modules: the very copy the
 * functions use (the root does not depend on it; firebase-admin 14 needs Node 22 to
 * install its Firestore and Storage clients, which functions/ gets).
 */
import { createRequire } from 'node:module';
import type * as AdminApp from '../../functions/node_modules/firebase-admin/lib/app/index.js';
import type * as AdminAuth from '../../functions/node_modules/firebase-admin/lib/auth/index.js';
import type * as AdminFirestore from '../../functions/node_modules/firebase-admin/lib/firestore/index.js';
import type * as AdminFunctions from '../../functions/node_modules/firebase-admin/lib/functions/index.js';
import type * as AdminStorage from '../../functions/node_modules/firebase-admin/lib/storage/index.js';

const requireFromFunctions = createRequire(new URL('../../functions/package.json', import.meta.url));

export const adminApp = requireFromFunctions('firebase-admin/app') as typeof AdminApp;
export const adminAuth = requireFromFunctions('firebase-admin/auth') as typeof AdminAuth;
export const adminFirestore = requireFromFunctions('firebase-admin/firestore') as typeof AdminFirestore;
export const adminFunctions = requireFromFunctions('firebase-admin/functions') as typeof AdminFunctions;
export const adminStorage = requireFromFunctions('firebase-admin/storage') as typeof AdminStorage;

export type Firestore = AdminFirestore.Firestore;
export type DocumentReference = AdminFirestore.DocumentReference;
