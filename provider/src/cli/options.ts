// Options every `hrm-sso` subcommand sees (set on the program, read by each command).
export interface GlobalOptions {
  json: boolean;
}
