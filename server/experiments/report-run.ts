// report.html of a single run (`omnitwin run --out`): the same page as a batch report — a headline in
// plain words, every KPI under its registry label and unit, the day-by-day state — for one policy and
// seed, so there are no intervals. Built from the run summary and the twin's time series only.
import { HEADLINE_KPI_KEYS, kpiLabel, policyName, type Policy, type RunSummary } from "../../sim/index.ts";
import type { TimeseriesRow } from "../../sim/metrics/collector.ts";
import { shellWord } from "./batch-files.ts";
import { flattenKpis } from "./kpis.ts";
import { htmlTable, reportPage } from "./report-page.ts";
import { kpiNamed, kpiValueWords, policyWords } from "./report-words.ts";
import { dailySeries } from "./replicate.ts";
import { escapeHtml } from "./svg.ts";
import { bandChart, dailySeriesLabel } from "./svg-bands.ts";

/** What the run report needs besides the summary: the twin's samples and horizon, and the command's files. */
export interface RunReportInput {
  summary: RunSummary;
  timeseries: readonly TimeseriesRow[];
  horizonMinutes: number;
  scenarioName: string;
  scenarioFile: string;
  interventionsFile?: string;
  /** Where the run came from when not from the command line (a live session), in words; shown under "How this was made". */
  origin?: string;
}

/** The report page of one run. */
export function runReportHtml(input: RunReportInput): string {
  const { summary } = input;
  const policy = policyName(summary.policy as Policy);
  const kpis = flattenKpis(summary.kpis);
  const headlineKeys = HEADLINE_KPI_KEYS.filter((k) => kpis[k] !== undefined);
  const values = headlineKeys.map((k) => `${kpiLabel(k).toLowerCase()}: ${kpiValueWords(k, kpis[k])}`);
  const headline = `${escapeHtml(policyWords(policy))} operations, seed ${summary.seed}, over ${escapeHtml(String(summary.simulatedDays))} simulated days — ${escapeHtml(values.join("; "))}. <span class="small">One run: compare policies over many seeds with omnitwin compare before drawing conclusions.</span>`;
  const rows = Object.entries(kpis).map(([key, value]) => [{ text: kpiNamed(key), title: key }, kpiValueWords(key, value).replace(/ [^\d%]+$/, "")]);
  const daily = dailySeries(input.timeseries, input.horizonMinutes);
  const charts = Object.keys(daily.columns).map((name) =>
    bandChart(dailySeriesLabel(name), daily.day, [{ name: policyWords(policy), mean: daily.columns[name], lo: daily.columns[name], hi: daily.columns[name] }]),
  );
  const command = [`omnitwin run ${shellWord(input.scenarioFile)}`, `--policy ${shellWord(policy)}`, `--seed ${summary.seed}`];
  if (input.interventionsFile !== undefined) command.push(`--interventions ${shellWord(input.interventionsFile)}`);
  const body = `<p class="small">Scenario <code>${escapeHtml(summary.scenario.id)}</code> · policy ${escapeHtml(policyWords(policy))} · seed ${summary.seed} · omnitwin ${escapeHtml(summary.omnitwinVersion)}</p>
<h2>Every KPI</h2>
${htmlTable(["KPI", "value"], [false, true], rows)}
<h2>Day by day</h2>
<p class="small">State at the end of each simulated day. timeseries.csv has the hourly samples.</p>
${charts.join("\n")}
<h2>How this was made</h2>
${input.origin === undefined ? "" : `<p class="small">${escapeHtml(input.origin)}</p>\n`}<p class="small">Scenario hash <code>${escapeHtml(summary.scenario.hash)}</code>. Re-run with:</p>
<pre class="command">${escapeHtml(command.join(" "))}</pre>`;
  return reportPage(`${policyWords(policy)} run: ${input.scenarioName}`, headline, body);
}
