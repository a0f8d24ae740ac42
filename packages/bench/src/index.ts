// @keepdist/bench public API: named re-exports only.
export { PROGRAM, describeValue, flagNames, parseFlags, presetNames, selectCommand, wantsHelp } from './args.js';
export type { CommandSelection } from './args.js';
export type {
  CommandSpec,
  EnumFlagSpec,
  FlagSpec,
  FlagSpecs,
  FlagValue,
  FlagValues,
  FloatFlagSpec,
  IntFlagSpec,
  ListFlagSpec,
  ParsedFlags,
  PresetValues,
  StringFlagSpec,
} from './flagTypes.js';
export { UsageError } from './usageError.js';
export { commandHelp, globalHelp, wrapText } from './help.js';
export { BACKENDS, CONVENTIONS, backendFlag, conventionsFlag, lrDecayFlag, methodsFlag, outFlag, seedFlag } from './commonFlags.js';
export type { BackendName, Conventions } from './commonFlags.js';
export { LR_DECAYS, scheduledLr } from './lrSchedule.js';
export type { LrDecay } from './lrSchedule.js';
export { TAMMES_OPTIMA_DEG, tammesOptimumDeg } from './tammesOptima.js';
export { formatTable } from './table.js';
export type { TableCell, TableColumn } from './table.js';
export { createProgress } from './progress.js';
export type { Progress, ProgressOptions, ProgressStream } from './progress.js';
export { createStepHooks } from './stepHooks.js';
export type { StepHooks } from './stepHooks.js';
export { DEFAULT_RESULTS_DIR, INTERRUPTED_EXIT_CODE, onInterrupt, resolveOutDir, timestamp, writeJson, writeSvg } from './output.js';
export type { InterruptOptions } from './output.js';
export { BAND_LAYER, OPTIMUM_LAYER, SERIES_LAYER, curvePlot, renderSvg, tammesPlot } from './plots.js';
export type { CurvePlotOptions, CurveSeries, TammesSeries } from './plots.js';
export { median, spread } from './stats.js';
export type { Spread } from './stats.js';
export { defaultContext } from './commandContext.js';
export type { CommandContext } from './commandContext.js';
export { runWithResults } from './resultSession.js';
export type { ResultSaver } from './resultSession.js';
export { TAMMES_FILES, runTammes, tammesCommand, tammesTable } from './commands/tammes.js';
export type {
  RunTammesMethod,
  TammesMethodInput,
  TammesMethodOutput,
  TammesMethodResult,
  TammesOptions,
  TammesReport,
  TammesStart,
} from './commands/tammes.js';
export { SYNTHETIC_INITS, resolveSeeds, runSynthetic, syntheticCommand, syntheticTable } from './commands/synthetic.js';
export { formatSpread, seedsTable, summarizeSeeds } from './commands/syntheticSeeds.js';
export type { SyntheticSeedSummary } from './commands/syntheticSeeds.js';
export type {
  RunSyntheticMethod,
  SyntheticHooks,
  SyntheticMethodInput,
  SyntheticMethodOutput,
  SyntheticMethodResult,
  SyntheticOptions,
  SyntheticRecord,
  SyntheticReport,
} from './commands/synthetic.js';
export { SYNTHETIC_PLOT_FILES, syntheticPlots } from './commands/syntheticPlots.js';
export {
  PROTOTYPES_FILES, minAngleBoundDeg, prototypeSizes, prototypesCommand, prototypesTable, runPrototypes,
} from './commands/prototypes.js';
export type {
  PrototypeAngles, PrototypesMethodInput, PrototypesMethodOutput, PrototypesOptions, PrototypesReport, PrototypesResult, RunPrototypesMethod,
} from './commands/prototypes.js';
export { OPTIMIZERS, checkOptimizerDecay, optimizerFlag } from './commonFlags.js';
export type { OptimizerName } from './commonFlags.js';
export { drawsFor, parseDrawCounts, samplesFlag } from './drawCounts.js';
export type { DrawCounts } from './drawCounts.js';
export { SPEED_SUITES, computeSpeedups, parseSize, runSpeed, speedCommand, speedTable } from './commands/speed.js';
export { SUITE_ONLY_FLAGS, checkSpeedFlags, runSpeedCommand } from './commands/speedDispatch.js';
export type { SpeedCore } from './commands/speedDispatch.js';
export { OTHER_STACKS, computeRatios, runSpeedSuite, suiteCommandLine } from './commands/speedSuite.js';
export type {
  Measurement,
  OtherStackName,
  SkippedStack,
  SpeedStack,
  SpeedSuiteCore,
  SpeedSuiteOptions,
  SpeedSuiteReport,
  StackRequest,
  StackResult,
  Timing,
  WorkloadResult,
} from './commands/speedSuite.js';
export { speedSuiteTables, summaryGrid, workloadTable } from './commands/speedSuiteTables.js';
export { LLOYD_CLAMP_EPS, WORKLOADS, WORKLOAD_IDS, inputNames, inputOf, scaleWorkload, workloadFlops, workloadLabel } from './speed/workloads.js';
export type { Workload, WorkloadArray, WorkloadData, WorkloadId, WorkloadKind, WorkloadValues } from './speed/workloads.js';
export type {
  PrepareSpeedCase,
  ProblemSize,
  SpeedCase,
  SpeedCaseInput,
  SpeedCaseResult,
  SpeedOptions,
  SpeedReport,
} from './commands/speed.js';
export { EXIT, commandSpecs, main } from './main.js';
export type { CommandName } from './main.js';
export { METHOD_NAMES } from './numericCore.js';
export type { NumericCore } from './numericCore.js';
