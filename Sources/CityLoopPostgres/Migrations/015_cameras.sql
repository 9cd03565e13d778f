-- The camera registry with when each camera was last heard from, the detection policies the administrator set, every
-- detection received (with what became of it), the candidates they were grouped into (the review queue; `fact` is what
-- a review says about the models, for precision), the latest candidate of each scene (so two nodes never open two for
-- one scene), and camera re-checks of cases.
CREATE TABLE cameras (id text COLLATE "C" PRIMARY KEY, last_contact bigint, data text NOT NULL);
CREATE TABLE detection_policies (type text COLLATE "C" PRIMARY KEY, data text NOT NULL);
CREATE TABLE detection_candidates (
    id text COLLATE "C" PRIMARY KEY,
    camera_id text COLLATE "C" NOT NULL,
    type text COLLATE "C" NOT NULL,
    state text COLLATE "C" NOT NULL,
    sampled boolean NOT NULL,
    last_seen bigint NOT NULL,
    version bigint NOT NULL,
    fact text,
    data text NOT NULL
);
CREATE INDEX detection_candidates_seen ON detection_candidates (last_seen, id);
CREATE INDEX detection_candidates_state ON detection_candidates (state, last_seen, id);
CREATE INDEX detection_candidates_camera ON detection_candidates (camera_id, last_seen, id);
CREATE INDEX detection_candidates_reviewed ON detection_candidates (id) WHERE fact IS NOT NULL;
CREATE TABLE detection_scenes (scene text COLLATE "C" PRIMARY KEY, candidate_id text COLLATE "C" NOT NULL);
CREATE TABLE detections (
    id text COLLATE "C" PRIMARY KEY,
    camera_id text COLLATE "C" NOT NULL,
    at bigint NOT NULL,
    outcome text NOT NULL,
    candidate_id text COLLATE "C",
    data text NOT NULL
);
CREATE INDEX detections_candidate ON detections (candidate_id, at) WHERE candidate_id IS NOT NULL;
CREATE TABLE camera_rechecks (case_id text COLLATE "C" PRIMARY KEY, camera_id text COLLATE "C" NOT NULL, final boolean NOT NULL, data text NOT NULL);
CREATE INDEX camera_rechecks_waiting ON camera_rechecks (camera_id) WHERE NOT final;
