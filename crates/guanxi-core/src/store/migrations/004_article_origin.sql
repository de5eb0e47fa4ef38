-- Version 4: an article's time and origin, when its source gives them: publication date
-- (ISO YYYY-MM-DD) and time (HH:MM), URL, site or newspaper, author. Older rows have none (NULL).
ALTER TABLE articles ADD COLUMN published_date TEXT;
ALTER TABLE articles ADD COLUMN published_time TEXT;
ALTER TABLE articles ADD COLUMN url TEXT;
ALTER TABLE articles ADD COLUMN site TEXT;
ALTER TABLE articles ADD COLUMN author TEXT;
CREATE INDEX articles_date ON articles(published_date);
