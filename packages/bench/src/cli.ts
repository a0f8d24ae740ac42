#!/usr/bin/env node
// The keepdist-bench executable: runs `main` with the process arguments and the numeric core.
import { main } from './main.js';
import { numericCore } from './numericCore.js';

process.exitCode = await main(process.argv.slice(2), numericCore);
