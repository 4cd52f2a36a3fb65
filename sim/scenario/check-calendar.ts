// Calendar checks: the time zone exists, every date is a real calendar date, everything dated lies
// within the run's horizon [start, start + horizonDays], and windows end after they start.
// Local date-times are compared as wall-clock times in the scenario's one time zone.
import type { ScenarioParts } from "./parts.ts";
import type { PathProblem, PathSegments } from "./problems.ts";
import { didYouMean } from "./problems.ts";

const MINUTES_PER_DAY = 1440;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Check the time zone, every date-time, the horizon and the order of every window. */
export function checkCalendar(parts: ScenarioParts): PathProblem[] {
  const out: PathProblem[] = [];
  if (parts.timeZone !== undefined) checkTimeZone(parts.timeZone, out);

  const read = (path: PathSegments, text: string | undefined): number | undefined => (text === undefined ? undefined : readLocal(path, text, out));
  const start = read(["start"], parts.start);
  const end = start !== undefined && parts.horizonDays !== undefined ? start + parts.horizonDays * MINUTES_PER_DAY : undefined;
  const inHorizon = (path: PathSegments, text: string | undefined): number | undefined => {
    const t = read(path, text);
    if (t === undefined || start === undefined || end === undefined) return t;
    if (t < start) out.push({ path, message: `"${text}" is before the run starts ("${parts.start}"); move it to the start or later, or start the run earlier` });
    else if (t > end) {
      out.push({ path, message: `"${text}" is after the run ends ("${formatLocal(end)}", start + ${parts.horizonDays} days); move it earlier or raise horizonDays` });
    }
    return t;
  };
  const after = (path: PathSegments, text: string, t: number | undefined, earlier: number | undefined, what: string, rule: string): void => {
    if (t !== undefined && earlier !== undefined && t <= earlier) out.push({ path, message: `"${text}" is not after ${what}; ${rule}` });
  };

  parts.campaigns.forEach((campaign, i) => {
    if (campaign === undefined) return;
    const at = (...rest: string[]): PathSegments => ["campaigns", i, ...rest];
    const submitted = read(at("submittedAt"), campaign.submittedAt);
    const campaignStart = inHorizon(at("start"), campaign.start);
    const campaignEnd = inHorizon(at("end"), campaign.end);
    after(at("end"), campaign.end, campaignEnd, campaignStart, `the campaign's start ("${campaign.start}")`, "a campaign must end after it starts");
    if (submitted !== undefined && campaignStart !== undefined && submitted > campaignStart) {
      out.push({ path: at("submittedAt"), message: `"${campaign.submittedAt}" is after the campaign's start ("${campaign.start}"); marketing submits a plan before the campaign starts` });
    }
    if (campaign.presale !== undefined) {
      const { balanceStart, balanceEnd } = campaign.presale;
      const opens = inHorizon(at("presale", "balanceStart"), balanceStart);
      const closes = inHorizon(at("presale", "balanceEnd"), balanceEnd);
      if (opens !== undefined && campaignStart !== undefined && opens < campaignStart) {
        out.push({
          path: at("presale", "balanceStart"),
          message: `"${balanceStart}" is before the campaign starts ("${campaign.start}"); the balance is paid after the deposit, so the window opens at the campaign start or later`,
        });
      }
      after(at("presale", "balanceEnd"), balanceEnd, closes, opens, `balanceStart ("${balanceStart}")`, "the balance window must close after it opens");
    }
  });

  parts.demand.periods?.forEach((period, p) => {
    const at = (key: string): PathSegments => ["demand", "periods", p, key];
    const opens = inHorizon(at("start"), period.start);
    const closes = inHorizon(at("end"), period.end);
    after(at("end"), period.end, closes, opens, `the period's start ("${period.start}")`, "a demand period must end after it starts");
  });

  parts.interventions.forEach((intervention, i) => {
    if (intervention === undefined) return;
    const t = inHorizon(["interventions", i, "at"], intervention.at);
    if (intervention.type === "campaign-change" && intervention.end !== undefined) {
      const path: PathSegments = ["interventions", i, "end"];
      after(path, intervention.end, inHorizon(path, intervention.end), t, `the change itself ("${intervention.at}")`, "the new end must come after the change takes effect");
    }
  });
  return out;
}

function checkTimeZone(timeZone: string, out: PathProblem[]): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    out.push({
      path: ["timeZone"],
      message: `"${timeZone}" is not a time zone;${didYouMean(timeZone, known)} use an IANA time zone name such as "Asia/Shanghai"`,
    });
  }
}

// Minutes of a local "YYYY-MM-DD[THH:MM[:SS]]" read as if it were UTC (only differences matter),
// or undefined after reporting a date or time that does not exist.
function readLocal(path: PathSegments, text: string, out: PathProblem[]): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (m === null) return undefined; // the shape check has already reported the format
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  const problem = (message: string): undefined => void out.push({ path, message: `"${text}" ${message}` });
  if (month < 1 || month > 12) return problem("has no such month; months run 01 to 12");
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return problem(`is not a real date: ${MONTHS[month - 1]} ${year} has ${days} days`);
  if (hour === 24 && minute === 0 && second === 0) {
    const nextDay = formatLocal(Date.UTC(year, month - 1, day + 1) / 60_000).slice(0, 10);
    return problem(`uses hour 24; hours run 00 to 23, so write "${nextDay}T00:00" for midnight at the end of the day`);
  }
  if (hour > 23) return problem("has no such hour; hours run 00 to 23");
  if (minute > 59 || second > 59) return problem("has no such minute or second; they run 00 to 59");
  return Date.UTC(year, month - 1, day, hour, minute, second) / 60_000;
}

/** A wall-clock minute count as "YYYY-MM-DDTHH:MM". */
function formatLocal(minutes: number): string {
  return new Date(minutes * 60_000).toISOString().slice(0, 16);
}
