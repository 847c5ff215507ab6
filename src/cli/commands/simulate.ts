import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { evaluate, formatEvaluation } from '../../simulate/evaluate.js';
import { isScenarioName, SCENARIO_NAMES } from '../../simulate/scenarios.js';
import { simulate } from '../../simulate/simulate.js';
import type { Truth } from '../../simulate/types.js';

interface SimulateFlags {
  scenario: string;
  seed: string;
  scale: string;
  out?: string;
  start?: string;
  months?: string;
}

interface EvaluateFlags {
  findings?: string;
  truth?: string;
  alpha: string;
  json?: boolean;
}

/** Print a one-line usage error and set exit code 2. */
function usage(message: string): void {
  console.error(`nps-gaming: ${message}`);
  process.exitCode = 2;
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} ${path} is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Register `simulate` (write a seeded world with planted gaming and its
 * truth) and `evaluate` (score a findings document against a truth) on the
 * program. Bad arguments print one line on stderr and set exit code 2.
 */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'Write a seeded simulated service business with planted gaming: surveys.csv, concessions.csv, interactions.csv and truth.json.',
    )
    .option('--scenario <name>', `world to simulate: ${SCENARIO_NAMES.join(', ')}`, 'demo')
    .option('--seed <n>', 'integer seed (same seed, byte-identical files)', '1')
    .option('--scale <k>', 'multiplies customers and reps', '1')
    .option('--out <dir>', 'output directory (required; created if missing)')
    .option('--start <date>', "first day of the period, YYYY-MM-DD (default the scenario's)")
    .option('--months <n>', "period length in months (default the scenario's)")
    .action(async (flags: SimulateFlags) => {
      if (!isScenarioName(flags.scenario)) {
        return usage(`unknown scenario "${flags.scenario}"; expected one of ${SCENARIO_NAMES.join(', ')}`);
      }
      const seed = Number(flags.seed);
      if (!/^-?\d+$/.test(flags.seed) || !Number.isSafeInteger(seed)) {
        return usage(`--seed must be an integer, got "${flags.seed}"`);
      }
      const scale = Number(flags.scale);
      if (!(flags.scale.trim() !== '' && Number.isFinite(scale) && scale > 0 && scale <= 1000)) {
        return usage(`--scale must be a number in (0, 1000], got "${flags.scale}"`);
      }
      if (!flags.out) return usage('--out <dir> is required');
      const months = flags.months === undefined ? undefined : Number(flags.months);
      if (months !== undefined && !(Number.isInteger(months) && months >= 1 && months <= 120)) {
        return usage(`--months must be an integer in 1..120, got "${flags.months}"`);
      }
      let summary: Awaited<ReturnType<typeof simulate>>;
      try {
        summary = await simulate({
          scenario: flags.scenario,
          seed,
          scale,
          outDir: flags.out,
          start: flags.start,
          months,
        });
      } catch (error) {
        if (error instanceof RangeError) return usage(error.message);
        const code = (error as NodeJS.ErrnoException).code;
        if (code) return usage(`cannot write to ${flags.out} (${code})`);
        throw error;
      }
      const c = summary.counts;
      const labels = Object.entries(summary.labels)
        .map(([label, n]) => `${label} ${n}`)
        .join(', ');
      process.stdout.write(
        `${summary.scenario} (seed ${summary.seed}, scale ${summary.scale}) → ${summary.outDir}\n` +
          `  ${c.surveys} invitations (${c.responses} responses), ${c.concessions} concessions, ` +
          `${c.interactions} interactions, ${c.reps} reps, ${c.customers} customers\n` +
          `  labels: ${labels}\n`,
      );
    });

  program
    .command('evaluate')
    .description(
      'Score a findings document (detect --json) against a simulated truth.json: recall, clean flags, FDP.',
    )
    .option('--findings <file>', 'findings JSON written by detect --json (required)')
    .option('--truth <file>', 'truth.json written by simulate (required)')
    .option('--alpha <q>', 'a finding counts when its q-value is at most alpha', '0.05')
    .option('--json', 'print the evaluation as JSON instead of tables')
    .action(async (flags: EvaluateFlags) => {
      if (!flags.findings) return usage('--findings <file> is required');
      if (!flags.truth) return usage('--truth <file> is required');
      const alpha = Number(flags.alpha);
      if (!(flags.alpha.trim() !== '' && alpha >= 0 && alpha <= 1)) {
        return usage(`--alpha must be a number in [0, 1], got "${flags.alpha}"`);
      }
      let findings: unknown;
      let truth: unknown;
      try {
        findings = await readJson(flags.findings, 'findings');
        truth = await readJson(flags.truth, 'truth');
      } catch (error) {
        return usage((error as Error).message);
      }
      const t = truth as Partial<Truth> | null;
      if (t?.version !== 1 || !Array.isArray(t.reps) || !Array.isArray(t.customers)) {
        return usage(`${flags.truth} is not a truth.json (version 1 with reps and customers)`);
      }
      const f = findings as { findings?: unknown } | unknown[] | null;
      if (!f || !(Array.isArray(f) || Array.isArray((f as { findings?: unknown }).findings))) {
        return usage(`${flags.findings} has no findings array`);
      }
      const result = evaluate(f as Parameters<typeof evaluate>[0], t as Truth, { alpha });
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatEvaluation(result));
    });
}
