/**
 * `npm run admin -- <command>`: the operator's command line. Works on the configured storage
 * while the server runs (server/admin/open-admin.ts); every change reaches the running
 * processes at once and is written to the audit log. Exit codes: 0 done, 1 failed (no such
 * account, a bad configuration, storage unreachable), 2 usage (unknown command or option).
 */
import { doctorMain } from './doctor';
import { userInfo } from 'node:os';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig } from '../config';
import { AppError } from '../errors';
import type { RegistrationMode } from '../store/admin-store';
import { openAdmin, type AdminHandle } from './open-admin';
import { DAY_MS, parseDuration } from './secrets';
import { auditTable, invitesTable, userDetails, usersTable } from './cli-format';
import { adminUserJson } from '../http/routes-admin';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  /** All of standard input (for --password-stdin). */
  readStdin: () => Promise<string>;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** A failure the CLI reports with exit code 1. */
class Failure extends Error {}

const positiveInt = (raw: string): number => {
  if (!/^[1-9][0-9]{0,4}$/.test(raw)) throw new InvalidArgumentError('Expected a whole number.');
  return Number(raw);
};

const duration = (raw: string): number => {
  const ms = parseDuration(raw);
  if (ms === null)
    throw new InvalidArgumentError('Expected a duration such as 30m, 12h or 7d (at most 365d).');
  return ms;
};

export async function runAdmin(argv: readonly string[], io: CliIo): Promise<number> {
  // `admin doctor` is `npm run doctor` (server/admin/doctor.ts): its own options and output.
  if (argv[0] === 'doctor')
    return await doctorMain(argv.slice(1), io.env, (t) => io.out(t.replace(/\n$/, '')));
  let handle: AdminHandle | null = null;
  const actor = `cli (${safeUser()})`;
  /** Open the storage on first use (not for --help or usage errors). */
  const admin = async (): Promise<AdminHandle> => {
    if (handle) return handle;
    let config;
    try {
      config = loadConfig(io.env);
    } catch (e) {
      if (e instanceof ConfigError) throw new Failure(`Configuration: ${e.message}`);
      throw e;
    }
    try {
      handle = await openAdmin(config);
    } catch (e) {
      throw new Failure(`Cannot open Parley's storage: ${(e as Error).message}`);
    }
    return handle;
  };
  /** Print the result: `value` as JSON with --json, else `text`. */
  const emit = (opts: { json?: boolean }, value: unknown, text: string): void => {
    io.out(opts.json ? JSON.stringify(value, null, 2) : text);
  };

  const program = new Command('admin')
    .description(
      "Parley's operator commands (the server may be running). `doctor [--json]` checks a deployment.",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
    })
    .showHelpAfterError('(add --help for usage)')
    .helpCommand(false);
  const json = (): Option => new Option('--json', 'print the result as JSON');

  const users = program.command('users').description('accounts').helpCommand(false);
  users
    .command('list')
    .description('list accounts, newest first')
    .option('--limit <n>', 'at most this many', positiveInt, 100)
    .addOption(json())
    .action(async (o: { limit: number; json?: boolean }) => {
      const list = await (await admin()).actions.listUsers('', o.limit);
      emit(o, { users: list.map(adminUserJson) }, usersTable(list));
    });
  users
    .command('search')
    .description('accounts whose e-mail or name contains <text>')
    .argument('<text>', 'part of an e-mail address or display name')
    .option('--limit <n>', 'at most this many', positiveInt, 100)
    .addOption(json())
    .action(async (text: string, o: { limit: number; json?: boolean }) => {
      const list = await (await admin()).actions.listUsers(text, o.limit);
      emit(o, { users: list.map(adminUserJson) }, usersTable(list));
    });
  users
    .command('show')
    .description('one account')
    .argument('<user>', 'e-mail address or user id')
    .addOption(json())
    .action(async (ref: string, o: { json?: boolean }) => {
      const u = await (await admin()).actions.findUser(ref);
      emit(o, { user: adminUserJson(u) }, userDetails(u));
    });
  users
    .command('create')
    .description(
      'create an account; prints a one-time sign-in link (valid 7 days) unless --password-stdin',
    )
    .requiredOption('--email <address>', 'its e-mail address')
    .requiredOption('--name <display name>', 'its display name')
    .option('--admin', 'make it an admin')
    .option('--password-stdin', 'read its password from standard input (no link)')
    .addOption(json())
    .action(
      async (o: {
        email: string;
        name: string;
        admin?: boolean;
        passwordStdin?: boolean;
        json?: boolean;
      }) => {
        const password = o.passwordStdin ? (await io.readStdin()).replace(/\r?\n$/, '') : null;
        const made = await (
          await admin()
        ).actions.createUser(actor, {
          email: o.email,
          displayName: o.name,
          password,
          admin: o.admin === true,
        });
        const lines = [`Created ${made.user.email} (${made.user.id}).`];
        if (made.signIn)
          lines.push(
            `One-time sign-in link (works once, until ${new Date(made.signIn.expires).toISOString()}):`,
            made.signIn.link,
          );
        emit(o, { user: adminUserJson(made.user), signIn: made.signIn }, lines.join('\n'));
      },
    );
  for (const [name, disabled, what] of [
    ['disable', true, 'end every session, close every socket and stream; refuse sign-in'],
    ['enable', false, 'allow a disabled account to sign in again'],
  ] as const) {
    users
      .command(name)
      .description(what)
      .argument('<user>', 'e-mail address or user id')
      .addOption(json())
      .action(async (ref: string, o: { json?: boolean }) => {
        const u = await (await admin()).actions.setDisabled(actor, ref, disabled);
        emit(o, { user: adminUserJson(u) }, `${u.email} is ${disabled ? 'disabled' : 'enabled'}.`);
      });
  }
  users
    .command('reset-password')
    .description('a one-time link (valid 1 hour) to set a new password; ends other sessions')
    .argument('<user>', 'e-mail address or user id')
    .addOption(json())
    .action(async (ref: string, o: { json?: boolean }) => {
      const link = await (await admin()).actions.resetLink(actor, ref);
      emit(
        o,
        link,
        `One-time link (works once, until ${new Date(link.expires).toISOString()}):\n${link.link}`,
      );
    });
  users
    .command('delete')
    .description(
      'delete an account as its owner would: sessions, contacts and message text removed',
    )
    .argument('<user>', 'e-mail address or user id')
    .option('--yes', 'really delete (required)')
    .addOption(json())
    .action(async (ref: string, o: { yes?: boolean; json?: boolean }) => {
      if (!o.yes)
        throw new CommanderError(2, 'parley.confirm', 'error: deleting needs --yes to confirm');
      const a = await admin();
      const u = await a.actions.findUser(ref);
      await a.actions.deleteUser(actor, u.id);
      emit(o, { deleted: u.id }, `Deleted ${u.email} (${u.id}).`);
    });
  for (const [name, flag] of [
    ['make-admin', true],
    ['revoke-admin', false],
  ] as const) {
    users
      .command(name)
      .description(flag ? 'let an account use the admin page' : 'take the admin page away')
      .argument('<user>', 'e-mail address or user id')
      .addOption(json())
      .action(async (ref: string, o: { json?: boolean }) => {
        const u = await (await admin()).actions.setAdmin(actor, ref, flag);
        emit(
          o,
          { user: adminUserJson(u) },
          `${u.email} is ${flag ? 'now' : 'no longer'} an admin.`,
        );
      });
  }

  program
    .command('registration')
    .description('show or set who may create accounts: open, invite (needs a code) or closed')
    .addArgument(new Argument('[mode]', 'the new mode').choices(['open', 'invite', 'closed']))
    .addOption(json())
    .action(async (mode: RegistrationMode | undefined, o: { json?: boolean }) => {
      const a = await admin();
      if (mode) await a.actions.setRegistrationMode(actor, mode);
      const now = await a.actions.registrationMode();
      emit(o, { mode: now }, `Registration: ${now}.`);
    });

  const invites = program.command('invites').description('invite codes').helpCommand(false);
  invites
    .command('create')
    .description('a new invite link (shown once)')
    .option('--uses <n>', 'how many sign-ups it allows', positiveInt, 1)
    .option('--expires <duration>', 'how long it works: 30m, 12h, 7d …', duration, 7 * DAY_MS)
    .addOption(json())
    .action(async (o: { uses: number; expires: number; json?: boolean }) => {
      const made = await (
        await admin()
      ).actions.createInvite(actor, { uses: o.uses, validMs: o.expires });
      emit(
        o,
        made,
        [
          `Invite ${made.invite.id}: ${made.invite.maxUses} use(s), until ${new Date(made.invite.expires).toISOString()}.`,
          `Code: ${made.code}`,
          `Link: ${made.link}`,
        ].join('\n'),
      );
    });
  invites
    .command('list')
    .description('every invite and its state')
    .addOption(json())
    .action(async (o: { json?: boolean }) => {
      const list = await (await admin()).actions.listInvites();
      emit(o, { invites: list }, invitesTable(list, Date.now()));
    });
  invites
    .command('revoke')
    .description('stop an invite from working')
    .argument('<id>', 'the invite id (i_…)')
    .addOption(json())
    .action(async (id: string, o: { json?: boolean }) => {
      await (await admin()).actions.revokeInvite(actor, id);
      emit(o, { revoked: id }, `Invite ${id} is revoked.`);
    });

  program
    .command('audit')
    .description('the audit log: who did what to whom, newest first')
    .option('--limit <n>', 'at most this many entries', positiveInt, 100)
    .addOption(json())
    .action(async (o: { limit: number; json?: boolean }) => {
      const entries = await (await admin()).actions.auditLog(o.limit);
      emit(o, { entries }, auditTable(entries));
    });

  const wantsJson = argv.includes('--json');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      if (e.code === 'parley.confirm') io.err(e.message);
      return 2;
    }
    const message =
      e instanceof AppError || e instanceof Failure ? e.message : `Failed: ${String(e)}`;
    if (wantsJson)
      io.out(
        JSON.stringify({ error: { code: e instanceof AppError ? e.code : 'failed', message } }),
      );
    io.err(message);
    return 1;
  } finally {
    if (handle) await (handle as AdminHandle).close();
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
