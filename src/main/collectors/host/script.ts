// The one POSIX sh script a host collection runs: every file and command output the host
// parsers need, each in a framed section
//
//   @@opsdeck:begin <name>
//   <output>
//   @@opsdeck:end <name> <exit status>
//
// The text is constant (nothing is interpolated into it). It runs in a subshell so its
// helper functions never leak into a kept shell session, with LC_ALL=C so numbers and
// labels do not follow the host's locale, and stderr discarded: a missing file shows as a
// non-zero status of its section only. Output stays small: /proc/stat loses its long intr
// lines, TCP states are counted by awk, PIDs are counted with a glob.
import { ParseFailed } from '../../errors';

export const SECTION_NAMES = [
  'uname',
  'stat',
  'loadavg',
  'meminfo',
  'uptime',
  'mounts',
  'df',
  'dfi',
  'diskstats',
  'blockdevs',
  'netdev',
  'thermal',
  'procs',
  'tcp',
] as const;

export type SectionName = (typeof SECTION_NAMES)[number];

/** Where each section comes from, as named in error messages. */
export const SECTION_SOURCE: Record<SectionName, string> = {
  uname: 'uname',
  stat: '/proc/stat',
  loadavg: '/proc/loadavg',
  meminfo: '/proc/meminfo',
  uptime: '/proc/uptime',
  mounts: '/proc/mounts',
  df: 'df -P -k',
  dfi: 'df -P -i',
  diskstats: '/proc/diskstats',
  blockdevs: '/sys/block',
  netdev: '/proc/net/dev',
  thermal: '/sys/class/thermal',
  procs: '/proc (PID count)',
  tcp: '/proc/net/tcp and tcp6',
};

export const HOST_SCRIPT = String.raw`(
LC_ALL=C
export LC_ALL
_s() {
  _n=$1
  shift
  printf '@@opsdeck:begin %s\n' "$_n"
  "$@" 2>/dev/null
  printf '\n@@opsdeck:end %s %s\n' "$_n" "$?"
}
_stat() { grep -E '^(cpu|btime|procs_)' /proc/stat; }
_df() {
  if command -v timeout >/dev/null 2>&1; then timeout 10 df -P "$@"; else df -P "$@"; fi
}
_blockdevs() {
  [ -d /sys/block ] || return 1
  for _d in /sys/block/*; do
    [ -e "$_d" ] || continue
    _m=''
    [ -r "$_d/dm/name" ] && _m=$(cat "$_d/dm/name")
    printf '%s %s\n' "$_d" "$_m"
  done
}
_thermal() {
  for _z in /sys/class/thermal/thermal_zone*; do
    [ -d "$_z" ] || continue
    _t=$(cat "$_z/type" 2>/dev/null)
    _v=$(cat "$_z/temp" 2>/dev/null)
    printf '%s\t%s\t%s\n' "$_z" "$_t" "$_v"
  done
}
_procs() {
  set -- /proc/[0-9]*
  [ -e "$1" ] || set --
  echo "$#"
}
_tcp() {
  _f=''
  for _x in /proc/net/tcp /proc/net/tcp6; do [ -r "$_x" ] && _f="$_f $_x"; done
  [ -n "$_f" ] || return 1
  awk 'FNR > 1 { c[$4]++ } END { for (s in c) print s, c[s] }' $_f
}
_s uname uname -s -n -r -m
_s stat _stat
_s loadavg cat /proc/loadavg
_s meminfo cat /proc/meminfo
_s uptime cat /proc/uptime
_s mounts cat /proc/mounts
_s df _df -k
_s dfi _df -i
_s diskstats cat /proc/diskstats
_s blockdevs _blockdevs
_s netdev cat /proc/net/dev
_s thermal _thermal
_s procs _procs
_s tcp _tcp
)
`;

export interface Section {
  name: string;
  text: string;
  /** Exit status printed in the end frame; null when the frame never came (truncated). */
  status: number | null;
}

const BEGIN = /^@@opsdeck:begin (\S+)$/;
const END = /^@@opsdeck:end (\S+) (\d+)$/;

/** Cuts the script output into sections by name. Lines outside any frame are ignored. */
export function splitSections(output: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  let open: { name: string; lines: string[] } | null = null;
  const close = (status: number | null): void => {
    if (!open) return;
    const body = open.lines;
    if (status !== null && body.length > 0 && body[body.length - 1] === '') body.pop();
    sections.set(open.name, { name: open.name, text: body.join('\n'), status });
    open = null;
  };
  for (const raw of output.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const begin = BEGIN.exec(line);
    const end = END.exec(line);
    if (begin) {
      close(null);
      open = { name: begin[1], lines: [] };
    } else if (end && open && end[1] === open.name) {
      close(Number(end[2]));
    } else if (open) {
      open.lines.push(line);
    }
  }
  close(null);
  return sections;
}

/** Sections whose command may exit non-zero and still print usable lines (df). */
const PARTIAL_OK = new Set<string>(['df', 'dfi']);

/**
 * The text of a section, or a ParseFailed that says why it cannot be used (the caller names
 * the source): absent (the output stopped before it), truncated (no end frame), or its
 * command failed.
 */
export function sectionText(sections: Map<string, Section>, name: SectionName): string {
  const s = sections.get(name);
  if (!s) throw new ParseFailed('missing from the host script output (output cut short?)');
  if (s.status === null) throw new ParseFailed('output ended inside the section (truncated)');
  if (s.status !== 0 && !(PARTIAL_OK.has(name) && s.text.trim() !== '')) {
    throw new ParseFailed(statusWords(s.status, SECTION_SOURCE[name].startsWith('/')));
  }
  return s.text;
}

function statusWords(status: number, isFile: boolean): string {
  if (status === 127) return 'command not found on the host (exit status 127)';
  if (status === 124) return 'timed out on the host (exit status 124; a hung network mount?)';
  return isFile
    ? `could not be read (exit status ${status}; check that it exists and is readable)`
    : `failed on the host (exit status ${status})`;
}
