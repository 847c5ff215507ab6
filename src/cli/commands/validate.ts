import type { Command } from 'commander';
import { describeQuality } from '../../ledger/quality.js';
import type { Ledgers } from '../../ledger/types.js';
import { EXIT } from '../errors.js';
import { addInputFlags, writeOutput } from '../flags.js';
import { type InputFlags, resolveInputs } from '../inputs.js';
import { loadWithProgress } from '../load-with-progress.js';
import { quarantineFile } from '../quarantine-file.js';

export function registerValidate(program: Command): void {
  addInputFlags(
    program
      .command('validate')
      .description(
        'Load the ledgers and print the data-quality report: every row accepted or quarantined with a reason.',
      ),
  )
    .option('--json <file>', 'also write the data-quality report as JSON')
    .option(
      '--quarantine <file.csv>',
      'also write every quarantined row (ledger, file, row, reason, column, value, message) as CSV',
    )
    .action(async (flags: InputFlags & { json?: string; quarantine?: string }) => {
      const inputs = resolveInputs(flags);
      const out = flags.quarantine === undefined ? undefined : quarantineFile(flags.quarantine);
      let ledgers: Ledgers;
      try {
        ledgers = await loadWithProgress({
          ...inputs,
          load: { ...inputs.load, strict: false, onQuarantine: out?.add },
        });
      } finally {
        const written = out?.close();
        if (written !== undefined && process.stderr.isTTY)
          process.stderr.write(`nps-gaming: ${written} quarantined row(s) written to ${flags.quarantine}\n`);
      }
      const qualities = [ledgers.quality.surveys, ledgers.quality.concessions, ledgers.quality.interactions];
      for (const q of qualities) if (q) process.stdout.write(`${describeQuality(q).join('\n')}\n`);
      if (flags.json) writeOutput(flags.json, `${JSON.stringify(ledgers.quality, null, 2)}\n`);
      const quarantined = qualities.reduce((n, q) => n + (q?.quarantined ?? 0), 0);
      if (inputs.load.strict && quarantined > 0) {
        process.stderr.write(`nps-gaming: strict mode: ${quarantined} row(s) quarantined\n`);
        process.exitCode = EXIT.quarantined;
      }
    });
}
