// SPDX-License-Identifier: GPL-2.0
/*
 * The one place where ktlife's tracepoints are instantiated: with
 * CREATE_TRACE_POINTS defined, trace.h expands into the event code and
 * the tracefs descriptions. Every other file includes trace.h plainly
 * and only calls trace_ktlife_*().
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
