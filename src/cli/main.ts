import { Command, CommanderError } from 'commander';
import { LedgerError, MissingPeerError, OptionError } from '../log/errors.js';
import { VERSION } from '../version.js';
import { registerDetect } from './commands/detect.js';
import { registerPower } from './commands/power.js';
import { registerReport } from './commands/report.js';
import { registerSimulate } from './commands/simulate.js';
import { registerValidate } from './commands/validate.js';
import { EXIT, UsageError } from './errors.js';

/** Build the `nps-gaming` program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('nps-gaming')
    .description('Find score gaming in NPS/CSAT survey and concession ledgers.')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  registerValidate(program);
  registerDetect(program);
  registerReport(program);
  registerSimulate(program);
  registerPower(program);
  for (const command of program.commands) command.exitOverride().configureOutput({ outputError: () => {} });
  return program;
}

/** Run the CLI; never throws: bad input becomes one line on stderr and an exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok; // --help, --version
      process.stderr.write(`nps-gaming: ${error.message.replace(/^error: /, '')} (see --help)\n`);
      return EXIT.usage;
    }
    if (error instanceof LedgerError && /strict mode/.test(error.message)) {
      process.stderr.write(`nps-gaming: ${error.message}\n`);
      return EXIT.quarantined;
    }
    if (
      error instanceof UsageError ||
      error instanceof LedgerError ||
      error instanceof OptionError ||
      error instanceof MissingPeerError
    ) {
      process.stderr.write(`nps-gaming: ${error.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`nps-gaming: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 70;
  }
}

const isEntry = process.argv[1] !== undefined && /(^|[\\/])(main\.(js|ts)|nps-gaming)$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
