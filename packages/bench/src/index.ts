// @keepdist/bench public API: named re-exports only.
export { PROGRAM, describeValue, flagNames, parseFlags, presetNames, selectCommand, wantsHelp } from './args';
export type { CommandSelection } from './args';
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
} from './flagTypes';
export { UsageError } from './usageError';
export { commandHelp, globalHelp, wrapText } from './help';
export { BACKENDS, backendFlag, lrDecayFlag, methodsFlag, outFlag, seedFlag } from './commonFlags';
export type { BackendName } from './commonFlags';
export { LR_DECAYS, scheduledLr } from './lrSchedule';
export type { LrDecay } from './lrSchedule';
export { TAMMES_OPTIMA_DEG, tammesOptimumDeg } from './tammesOptima';
export { formatTable } from './table';
export type { TableCell, TableColumn } from './table';
export { createProgress } from './progress';
export type { Progress, ProgressOptions, ProgressStream } from './progress';
export { createStepHooks } from './stepHooks';
export type { StepHooks } from './stepHooks';
export { DEFAULT_RESULTS_DIR, INTERRUPTED_EXIT_CODE, onInterrupt, resolveOutDir, timestamp, writeJson, writeSvg } from './output';
export type { InterruptOptions } from './output';
export { OPTIMUM_LAYER, SERIES_LAYER, curvePlot, renderSvg, tammesPlot } from './plots';
export type { CurvePlotOptions, CurveSeries, TammesSeries } from './plots';
export { median } from './stats';
export { defaultContext } from './commandContext';
export type { CommandContext } from './commandContext';
export { runWithResults } from './resultSession';
export type { ResultSaver } from './resultSession';
export { TAMMES_FILES, runTammes, tammesCommand, tammesTable } from './commands/tammes';
export type {
  RunTammesMethod,
  TammesMethodInput,
  TammesMethodOutput,
  TammesMethodResult,
  TammesOptions,
  TammesReport,
  TammesStart,
} from './commands/tammes';
export { SYNTHETIC_INITS, runSynthetic, syntheticCommand, syntheticTable } from './commands/synthetic';
export type {
  RunSyntheticMethod,
  SyntheticHooks,
  SyntheticMethodInput,
  SyntheticMethodOutput,
  SyntheticMethodResult,
  SyntheticOptions,
  SyntheticRecord,
  SyntheticReport,
} from './commands/synthetic';
export { SYNTHETIC_PLOT_FILES, syntheticPlots } from './commands/syntheticPlots';
export { SPEED_SUITES, computeSpeedups, parseSize, runSpeed, speedCommand, speedTable } from './commands/speed';
export { SUITE_ONLY_FLAGS, checkSpeedFlags, runSpeedCommand } from './commands/speedDispatch';
export type { SpeedCore } from './commands/speedDispatch';
export { OTHER_STACKS, computeRatios, runSpeedSuite, suiteCommandLine } from './commands/speedSuite';
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
} from './commands/speedSuite';
export { speedSuiteTables, summaryGrid, workloadTable } from './commands/speedSuiteTables';
export { LLOYD_CLAMP_EPS, WORKLOADS, WORKLOAD_IDS, inputNames, inputOf, scaleWorkload, workloadFlops, workloadLabel } from './speed/workloads';
export type { Workload, WorkloadArray, WorkloadData, WorkloadId, WorkloadKind, WorkloadValues } from './speed/workloads';
export type {
  PrepareSpeedCase,
  ProblemSize,
  SpeedCase,
  SpeedCaseInput,
  SpeedCaseResult,
  SpeedOptions,
  SpeedReport,
} from './commands/speed';
export { EXIT, commandSpecs, main } from './main';
export type { CommandName } from './main';
export { METHOD_NAMES } from './numericCore';
export type { NumericCore } from './numericCore';
