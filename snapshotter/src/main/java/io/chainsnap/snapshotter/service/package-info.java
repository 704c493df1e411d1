/** Snapshot logic: targets, health gate, the stop strategy, runs, schedules and events. */
package io.chainsnap.snapshotter.service;
