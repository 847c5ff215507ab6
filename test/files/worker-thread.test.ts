import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { errorFromWorker, postableError } from '../../src/files/worker-thread.js';
import { LedgerError, MissingPeerError, OptionError } from '../../src/log/errors.js';

/** Through a real message port: what a worker posts is a structured clone. */
function acrossThreads(error: unknown): Error {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(postableError(error));
  const received = receiveMessageOnPort(port2)?.message;
  port1.close();
  return errorFromWorker(received);
}

describe('errors across a worker thread', () => {
  it('arrive as the library error classes, with the location of a ledger error', () => {
    const location = { source: 'concessions.csv', row: 12, column: 'amount' };
    const ledger = acrossThreads(new LedgerError('bad amount', location));
    expect(ledger).toBeInstanceOf(LedgerError);
    expect([ledger.message, (ledger as LedgerError).location]).toEqual(['bad amount', location]);
    expect(acrossThreads(new OptionError('bad window'))).toBeInstanceOf(OptionError);
    expect(acrossThreads(new MissingPeerError('no duckdb'))).toBeInstanceOf(MissingPeerError);
  });

  it('keep the name and message of any other error, and survive a thrown non-error', () => {
    const range = acrossThreads(new RangeError('Invalid array length'));
    expect([range.name, range.message]).toEqual(['RangeError', 'Invalid array length']);
    const odd = acrossThreads('plain string');
    expect([odd.name, odd.message]).toEqual(['Error', 'plain string']);
  });
});
