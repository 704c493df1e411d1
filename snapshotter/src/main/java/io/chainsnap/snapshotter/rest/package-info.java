/** REST API: trigger a snapshot, see the latest run; and the staging files route. */
package io.chainsnap.snapshotter.rest;
