import GRDB

extension SQLiteMigration {
    static let m021 = SQLiteMigration("021_cameras") { db in
        // The camera registry with when each camera was last heard from, the detection policies the administrator
        // set, every detection received (with what became of it), the candidates they were grouped into (the review
        // queue; `fact` is what a review says about the models, for precision), the latest candidate of each scene
        // (so two nodes never open two for one scene), and camera re-checks of cases.
        try db.execute(
            sql: """
                CREATE TABLE cameras (id TEXT PRIMARY KEY, last_contact INTEGER, data TEXT NOT NULL);
                CREATE TABLE detection_policies (type TEXT PRIMARY KEY, data TEXT NOT NULL);
                CREATE TABLE detection_candidates (
                    id TEXT PRIMARY KEY, camera_id TEXT NOT NULL, type TEXT NOT NULL, state TEXT NOT NULL, sampled INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL, version INTEGER NOT NULL, fact TEXT, data TEXT NOT NULL);
                CREATE INDEX detection_candidates_seen ON detection_candidates (last_seen, id);
                CREATE INDEX detection_candidates_state ON detection_candidates (state, last_seen, id);
                CREATE INDEX detection_candidates_camera ON detection_candidates (camera_id, last_seen, id);
                CREATE INDEX detection_candidates_reviewed ON detection_candidates (id) WHERE fact IS NOT NULL;
                CREATE TABLE detection_scenes (scene TEXT PRIMARY KEY, candidate_id TEXT NOT NULL);
                CREATE TABLE detections (
                    id TEXT PRIMARY KEY, camera_id TEXT NOT NULL, at INTEGER NOT NULL, outcome TEXT NOT NULL, candidate_id TEXT,
                    data TEXT NOT NULL);
                CREATE INDEX detections_candidate ON detections (candidate_id, at) WHERE candidate_id IS NOT NULL;
                CREATE TABLE camera_rechecks (case_id TEXT PRIMARY KEY, camera_id TEXT NOT NULL, final INTEGER NOT NULL, data TEXT NOT NULL);
                CREATE INDEX camera_rechecks_waiting ON camera_rechecks (camera_id) WHERE final = 0;
                """)
    }
}
