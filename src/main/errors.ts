// Named errors, one per failure an operator must tell apart. Messages say what happened,
// to which target, and what to do.

export class OpsdeckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends OpsdeckError {}
export class NotFound extends OpsdeckError {}
export class TargetUnreachable extends OpsdeckError {}
export class ConnectTimeout extends OpsdeckError {}
export class CommandTimeout extends OpsdeckError {}
export class AuthFailed extends OpsdeckError {}
export class TunnelFailed extends OpsdeckError {}
export class AlgorithmMismatch extends OpsdeckError {}
export class SchemaTooNew extends OpsdeckError {}
export class SecretUnavailable extends OpsdeckError {}
/** A command printed more than the framing keeps; its shell was restarted. */
export class OutputTooLarge extends OpsdeckError {}
/** A SQL statement failed on the server; `code` is the SQLSTATE (e.g. 42501, 57014). */
export class QueryFailed extends OpsdeckError {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}
/** Text from a target did not have the shape a parser expects (never guessed around). */
export class ParseFailed extends OpsdeckError {}

/** The host presented a key nobody has accepted yet; nothing was authenticated. */
export class HostKeyUnknown extends OpsdeckError {
  constructor(
    message: string,
    readonly host: string,
    readonly port: number,
    readonly keyType: string,
    readonly fingerprint: string,
  ) {
    super(message);
  }
}

/** The host presented a key other than the one accepted before: refused. */
export class HostKeyChanged extends OpsdeckError {
  constructor(
    message: string,
    readonly host: string,
    readonly port: number,
    readonly keyType: string,
    readonly fingerprint: string,
    readonly knownFingerprint: string,
  ) {
    super(message);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
/** A part of database care that this build does not carry. */
export class CareUnavailable extends OpsdeckError {}
/** A change was asked for without the confirmation its plan requires. */
export class ConfirmationRequired extends OpsdeckError {}
/** pg_dump or pg_restore is older than the server, or missing. */
export class ToolVersionMismatch extends OpsdeckError {}
/** Runbooks: a feature of this build that is not ready yet. */
export class RunbooksUnavailable extends OpsdeckError {}
/** A handover that was handed over or acknowledged is not edited any more. */
export class HandoverReadOnly extends OpsdeckError {}
/** An export (e.g. printing a report to PDF) could not be made; the message says what to install or do. */
export class ExportFailed extends OpsdeckError {}
