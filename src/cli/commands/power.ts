import type { Command } from 'commander';
import { loadLedgers } from '../../ledger/load.js';
import { type PowerResult, power, shapeOf } from '../../simulate/power.js';
import { isScenarioName } from '../../simulate/scenarios.js';
import { UsageError } from '../errors.js';
import { writeOutput } from '../flags.js';

interface PowerFlags {
  scenario: string;
  surveys?: string;
  concessions?: string;
  interactions?: string;
  strengths: string;
  seeds: string;
  scale: string;
  alpha: string;
  target: string;
  json?: string;
}

const numberFlag = (text: string, name: string, ok: (x: number) => boolean) => {
  const x = Number(text);
  if (!ok(x)) throw new UsageError(`${name} has an invalid value "${text}"`);
  return x;
};

/** The power table: recall per label and strength, and the smallest detectable strength. */
export function formatPower(result: PowerResult): string {
  const strengths = [...new Set(result.rows.map((r) => r.strength))];
  const labels = Object.keys(result.minimumStrength);
  const width = Math.max(...labels.map((l) => l.length), 'label'.length);
  const lines = [
    `recall at alpha ${result.options.alpha} (${result.options.seeds} simulated world(s) per strength, ${result.options.scenario}, scale ${result.options.scale})`,
    `${'label'.padEnd(width)}  ${strengths.map((s) => `s=${s}`.padStart(7)).join('')}  detectable at`,
  ];
  for (const label of labels) {
    const cells = strengths.map((s) => {
      const row = result.rows.find((r) => r.label === label && r.strength === s);
      return (row?.planted ? `${Math.round(row.recall * 100)}%` : '-').padStart(7);
    });
    const min = result.minimumStrength[label as keyof PowerResult['minimumStrength']];
    lines.push(
      `${label.padEnd(width)}  ${cells.join('')}  ${min === null ? `not at ≤ ${strengths.at(-1)}` : `≥ ${min}`}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function registerPower(program: Command): void {
  program
    .command('power')
    .description(
      'Power analysis by simulation: the smallest planted strength each gaming pattern is found at with 80% probability.',
    )
    .option('--scenario <name>', 'world to plant gaming in', 'carrier')
    .option('--surveys <file>', 'your survey ledger: match the simulated volumes to it (with --concessions)')
    .option('--concessions <file>', 'your concession ledger')
    .option('--interactions <file>', 'your interaction ledger')
    .option('--strengths <list>', 'comma-separated strengths in (0, 1]', '0.1,0.2,0.3,0.5,0.7,0.9')
    .option('--seeds <n>', 'simulated worlds per strength', '2')
    .option('--scale <k>', 'world scale', '1')
    .option('--alpha <q>', 'false discovery rate', '0.05')
    .option('--target <recall>', 'recall that counts as detectable', '0.8')
    .option('--json <file>', 'write the result as JSON')
    .action(async (flags: PowerFlags) => {
      if (!isScenarioName(flags.scenario)) throw new UsageError(`unknown scenario "${flags.scenario}"`);
      const strengths = flags.strengths
        .split(',')
        .map((s) => numberFlag(s, '--strengths', (x) => x > 0 && x <= 1));
      let shape: ReturnType<typeof shapeOf> | undefined;
      if (flags.surveys || flags.concessions) {
        if (!flags.surveys || !flags.concessions)
          throw new UsageError('--surveys and --concessions go together');
        const ledgers = await loadLedgers({
          surveys: flags.surveys,
          concessions: flags.concessions,
          ...(flags.interactions ? { interactions: flags.interactions } : {}),
        });
        shape = shapeOf(ledgers);
        process.stderr.write(
          `nps-gaming: simulating worlds shaped like your data: ${JSON.stringify(shape)}\n`,
        );
      }
      const tty = process.stderr.isTTY === true;
      const result = await power({
        scenario: flags.scenario,
        shape,
        strengths,
        seeds: numberFlag(flags.seeds, '--seeds', (x) => Number.isInteger(x) && x >= 1),
        scale: numberFlag(flags.scale, '--scale', (x) => x > 0),
        alpha: numberFlag(flags.alpha, '--alpha', (x) => x > 0 && x < 1),
        target: numberFlag(flags.target, '--target', (x) => x > 0 && x <= 1),
        onProgress: tty
          ? (done, total) => process.stderr.write(`\rnps-gaming: world ${done}/${total}`)
          : undefined,
      });
      if (tty) process.stderr.write('\n');
      if (flags.json) writeOutput(flags.json, `${JSON.stringify(result, null, 2)}\n`);
      process.stdout.write(formatPower(result));
    });
}
