-- Users and posts, with every constraint and index named, so that later migrations
-- and error handling (database/errors.ts) can refer to them by name.
-- Up Migration
CREATE TABLE users (
  id uuid NOT NULL,
  email varchar(254) NOT NULL,
  name varchar(100) NOT NULL,
  role varchar(16) NOT NULL DEFAULT 'user',
  created_at timestamptz(3) NOT NULL,
  CONSTRAINT users_pkey PRIMARY KEY (id),
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_email_lower_check CHECK (email = lower(email)),
  CONSTRAINT users_role_check CHECK (role IN ('user', 'admin'))
);
CREATE INDEX ix_users_created_at_id ON users (created_at DESC, id DESC);

CREATE TABLE posts (
  id uuid NOT NULL,
  author_id uuid NOT NULL,
  title varchar(200) NOT NULL,
  body text NOT NULL DEFAULT '',
  created_at timestamptz(3) NOT NULL,
  updated_at timestamptz(3) NOT NULL,
  CONSTRAINT posts_pkey PRIMARY KEY (id),
  CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_posts_created_at_id ON posts (created_at DESC, id DESC);
CREATE INDEX ix_posts_author_id_created_at_id ON posts (author_id, created_at DESC, id DESC);

-- Down Migration
DROP TABLE posts;
DROP TABLE users;
