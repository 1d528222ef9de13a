// comlink for Node: its package exposes UMD builds, loaded here through require so that both the
// sources and the bundle use the same files; types come from its declarations.
import { createRequire } from 'node:module';
import type * as ComlinkTypes from 'comlink';

const require = createRequire(import.meta.url);

export const Comlink = require('comlink') as typeof ComlinkTypes;

type NodeEndpointFn = (nep: {
  postMessage(message: unknown, transfer?: unknown[]): void;
  on(type: string, listener: (...a: never[]) => void): void;
  off(type: string, listener: (...a: never[]) => void): void;
}) => ComlinkTypes.Endpoint;

const adapter = require('comlink/dist/umd/node-adapter.js') as NodeEndpointFn | { default: NodeEndpointFn };
/** Wraps a worker_threads port or Worker as a comlink endpoint. */
export const nodeEndpoint: NodeEndpointFn = typeof adapter === 'function' ? adapter : adapter.default;
