-- Users who log into the API (REST spec §2). Passwords are bcrypt hashes, never plain text.
create table users (
    id            bigserial primary key,
    username      varchar(150) not null unique,
    password_hash varchar(100) not null,
    role          varchar(16)  not null default 'ADMIN' check (role in ('ADMIN', 'USER')),
    created_at    timestamptz  not null default now()
);
