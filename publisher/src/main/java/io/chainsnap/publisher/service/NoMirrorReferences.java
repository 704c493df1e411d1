package io.chainsnap.publisher.service;

import io.chainsnap.events.SnapshotTarget;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** {@link MirrorReferences} when no mirror bean exists: nothing to drop. */
@ApplicationScoped
@DefaultBean
public class NoMirrorReferences implements MirrorReferences {
  @Override
  public void onExpired(SnapshotTarget target, String snapshotId) {
    // no mirror: nothing references the snapshot
  }
}
