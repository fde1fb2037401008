-- A catalogue made by the last release (a0fd170, schema version 2): two finished runs, one report
-- with two versions, its cells, checks and sections. Made with that commit's archive.catalogue API
-- and dumped by `sqlite3 catalogue.db .dump`; tests/catalogue/test_migrations.py upgrades it.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE IF NOT EXISTS "crawl_runs" (
   "id" INTEGER PRIMARY KEY,
   "started" TEXT,
   "finished" TEXT,
   "command" TEXT,
   "portals" TEXT,
   "status" TEXT,
   "pages_fetched" INTEGER,
   "captures" INTEGER,
   "reports_new" INTEGER,
   "reports_changed" INTEGER,
   "reports_unchanged" INTEGER,
   "reports_withdrawn" INTEGER,
   "reports_seen" INTEGER,
   "failed" INTEGER,
   "warc_bytes" INTEGER,
   "errors" TEXT,
   "stats" TEXT
);
INSERT INTO crawl_runs VALUES(1,'2026-12-04T16:49:24+00:00','2026-12-04T16:49:24+00:00','crawl','["gov-a"]','finished',2,2,1,0,0,0,1,0,2100,'{}','{"downloader/response_count": 2, "warc/bytes_written": 2100}');
INSERT INTO crawl_runs VALUES(2,'2026-12-04T16:49:24+00:00','2026-12-04T16:49:24+00:00','crawl','["gov-a"]','finished',1,0,0,1,0,0,1,0,0,'{}','{"downloader/response_count": 1}');
CREATE TABLE IF NOT EXISTS "captures" (
   "url" TEXT,
   "run_id" INTEGER,
   "portal" TEXT,
   "kind" TEXT,
   "page_kind" TEXT,
   "status" INTEGER,
   "content_type" TEXT,
   "title" TEXT,
   "report_id" TEXT,
   "listed" INTEGER,
   "etag" TEXT,
   "last_modified" TEXT,
   "warc_filename" TEXT,
   "warc_offset" INTEGER,
   "warc_length" INTEGER,
   "record_type" TEXT,
   "record_id" TEXT,
   "payload_digest" TEXT,
   "fetched_at" TEXT,
   "error" TEXT,
   PRIMARY KEY ("url", "run_id")
);
INSERT INTO captures VALUES('http://a.example/list.html',1,'gov-a','page','listing',200,'text/html',NULL,NULL,NULL,'"e1"',NULL,'a-0.warc.gz',0,900,'response',NULL,'sha1:AAA','2024-03-01T00:00:00Z',NULL);
INSERT INTO captures VALUES('http://a.example/r1.html',1,'gov-a','page','report',200,NULL,NULL,'8a189e6f4863badc',NULL,NULL,NULL,'a-0.warc.gz',900,1200,'response',NULL,'sha1:BBB','2024-03-01T00:00:01Z',NULL);
CREATE TABLE IF NOT EXISTS "reports" (
   "id" TEXT PRIMARY KEY,
   "url" TEXT,
   "portal" TEXT,
   "title" TEXT,
   "agency" TEXT,
   "year" INTEGER,
   "published" TEXT,
   "signed" TEXT,
   "index_no" TEXT,
   "doc_no" TEXT,
   "publisher" TEXT,
   "template_version" TEXT,
   "scope" TEXT,
   "published_as" TEXT,
   "province" TEXT,
   "prefecture" TEXT,
   "county" TEXT,
   "township" TEXT,
   "region_code" TEXT,
   "level" TEXT,
   "text" TEXT,
   "warc_filename" TEXT,
   "warc_offset" INTEGER,
   "warc_length" INTEGER,
   "fetched_at" TEXT,
   "content_hash" TEXT,
   "version" INTEGER,
   "status" TEXT,
   "withdrawn_on" TEXT,
   "withdrawn_run" INTEGER,
   "issuer_copy" INTEGER,
   "last_seen" TEXT,
   "first_seen_run" INTEGER,
   "last_seen_run" INTEGER,
   "last_listed_run" INTEGER,
   "proactive_disclosed" REAL,
   "applications_received" REAL,
   "applications_carried_over" REAL,
   "granted" REAL,
   "partially_granted" REAL,
   "refused" REAL,
   "reconsideration_total" REAL,
   "litigation_total" REAL,
   "fees_collected" REAL
);
INSERT INTO reports VALUES('8a189e6f4863badc','http://a.example/r1.html','gov-a','北京市东城区2023年政府信息公开工作年度报告','北京市东城区人民政府',2023,'2024-01-20',NULL,NULL,NULL,NULL,'2021',NULL,NULL,'北京市',NULL,'东城区',NULL,NULL,'county','一、总体情况 本年度共收到申请 12 件。 二、主动公开 共 30 条。','a-0.warc.gz',2100,1200,'2024-04-01T00:00:00Z','c03f5b1bfda5a44bc7f5bfb9492b50da97e9beb1',2,'current',NULL,NULL,1,'2024-04-01',1,2,2,NULL,12.0,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE IF NOT EXISTS "report_versions" (
   "report_id" TEXT,
   "version" INTEGER,
   "content_hash" TEXT,
   "run_id" INTEGER,
   "seen_at" TEXT,
   "url" TEXT,
   "title" TEXT,
   "text" TEXT,
   "warc_filename" TEXT,
   "warc_offset" INTEGER,
   PRIMARY KEY ("report_id", "version")
);
INSERT INTO report_versions VALUES('8a189e6f4863badc',1,'9c379d0d66e34d2f3fe7b01757a9958cdf8730ad',1,'2024-03-01T00:00:01Z','http://a.example/r1.html','北京市东城区2023年政府信息公开工作年度报告','一、总体情况 本年度共收到申请 12 件。','a-0.warc.gz',900);
INSERT INTO report_versions VALUES('8a189e6f4863badc',2,'c03f5b1bfda5a44bc7f5bfb9492b50da97e9beb1',2,'2024-04-01T00:00:00Z','http://a.example/r1.html','北京市东城区2023年政府信息公开工作年度报告','一、总体情况 本年度共收到申请 12 件。 二、主动公开 共 30 条。','a-0.warc.gz',2100);
CREATE TABLE IF NOT EXISTS "report_captures" (
   "report_id" TEXT,
   "url" TEXT,
   "portal" TEXT,
   "warc_filename" TEXT,
   "warc_offset" INTEGER,
   "fetched_at" TEXT,
   PRIMARY KEY ("report_id", "url")
);
INSERT INTO report_captures VALUES('8a189e6f4863badc','http://a.example/r1.html','gov-a','a-0.warc.gz',2100,'2024-04-01T00:00:00Z');
CREATE TABLE IF NOT EXISTS "report_stats" (
   "report_id" TEXT,
   "ordinal" INTEGER,
   "table_no" TEXT,
   "row_key" TEXT,
   "col_key" TEXT,
   "row_label" TEXT,
   "col_label" TEXT,
   "raw" TEXT,
   "value" REAL,
   "unit" TEXT,
   "origin" TEXT,
   PRIMARY KEY ("report_id", "ordinal")
);
INSERT INTO report_stats VALUES('8a189e6f4863badc',0,'三','received','total','本年新收政府信息公开申请数量','总计','12',12.0,'件','table');
CREATE TABLE IF NOT EXISTS "report_checks" (
   "report_id" TEXT,
   "name" TEXT,
   "passed" INTEGER,
   "detail" TEXT,
   PRIMARY KEY ("report_id", "name")
);
INSERT INTO report_checks VALUES('8a189e6f4863badc','totals',1,'');
CREATE TABLE IF NOT EXISTS "report_sections" (
   "report_id" TEXT,
   "ordinal" INTEGER,
   "heading" TEXT,
   "text" TEXT,
   PRIMARY KEY ("report_id", "ordinal")
);
INSERT INTO report_sections VALUES('8a189e6f4863badc',0,'一、总体情况','本年度共收到申请 12 件。');
PRAGMA writable_schema=ON;
INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table','reports_fts','reports_fts',0,'CREATE VIRTUAL TABLE "reports_fts" USING FTS5 (
    "title", "agency", "text",
    tokenize=''trigram'',
    content="reports"
)');
CREATE TABLE IF NOT EXISTS 'reports_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
INSERT INTO reports_fts_data VALUES(1,X'01150822');
INSERT INTO reports_fts_data VALUES(10,X'000000000102020002010101020101');
INSERT INTO reports_fts_data VALUES(137438953473,X'00000238043020313201060102110206e4bbb6e3808201060102140206e69cace5b9b4010601020801033032330102090103313220010601021201053220e4bbb6010601021302023032010208020433e5b9b401020a010733e5b9b4e694bf01020b0109e38081e680bbe4bd9301060102030109e4b880e38081e680bb010601020203079ce59f8ee58cba0108050101050208baace5b882e4b89c0108030101030307bae6b091e694bf01060101080208bd93e68385e586b5010601020503079ce5b9b4e5baa60102140208bfa1e681afe585ac01020f0109e585ace5bc80e5b7a50102110307b1e694b6e588b0010601020c020686b520e69cac0106010207020888b0e794b3e8afb7010601020e02088c97e4baace5b8820108020101020303ba32300102070406e4babae6b091010601010702069f8ee58cba320102060703e4baba01060101060208b7a5e4bd9ce5b9b40102130208b882e4b89ce59f8e0108040101040208b9b4e5baa6e585b1010601020a0703e68aa50102150406e694bfe5ba9c01020c0208ba9ce4bfa1e681af01020e0307a6e585b1e694b6010601020b0406e68aa5e5918a0102160208bc80e5b7a5e4bd9c0102120109e680bbe4bd93e683850106010204020881afe585ace5bc8001021002068385e586b5200106010206020894b6e588b0e794b3010601020d0307bfe5ba9ce4bfa101020d02089cace5b9b4e5baa601060102090208b091e694bfe5ba9c01060101090107e794b3e8afb720010601020f0105e8afb720310106010210040a0d0d080a0c07090c10100f100e0f0c0d0e0e0d0f10080d0b0a0d100f080b0d0e0b0d100d0d0f0c0f0f0e');
INSERT INTO reports_fts_data VALUES(274877906945,X'000002e5043020313201070102110202333001060102200206e4ba8ce3808101060102170305bbb6e3808201070102140204e585b120010601021e0206e69cace5b9b4010701020803059da1e38082010601022301053020e69da10106010222020232330103090103313220010701021201053220e4bbb6010701021302023032010308020433e5b9b401030a010333302001060102210206e5b9b4e694bf01030b0109e38081e4b8bbe58aa801060102190406e680bbe4bd93010701020303058220e4ba8c01060102160109e4b880e38081e680bb010701020203079ce59f8ee58cba0109050101050307bbe58aa8e585ac010601021a0208ba8ce38081e4b8bb01060102180307ace5b882e4b89c0109030101030307bae6b091e694bf01070101080206bbb6e380822001060102150208bd93e68385e586b5010701020503079ce5b9b4e5baa60103140208bfa1e681afe585ac01030f0107e585ace5bc8020010601021c0703e5b7a50103110303b12033010601021f0406e694b6e588b0010701020c020686b520e69cac0107010207020888b0e794b3e8afb7010701020e02088aa8e585ace5bc80010601021b02088c97e4baace5b8820109020101020303ba32300103070406e4babae6b091010701010702069f8ee58cba320103060703e4baba01070101060208b7a5e4bd9ce5b9b40103130208b882e4b89ce59f8e0109040101040208b9b4e5baa6e585b1010701020a0703e68aa50103150406e694bfe5ba9c01030c0208ba9ce4bfa1e681af01030e0307a6e585b1e694b6010701020b0406e68aa5e5918a0103160206bc8020e585b1010601021d0406e5b7a5e4bd9c0103120109e680bbe4bd93e683850107010204020881afe585ace5bc8001031002068385e586b5200107010206020894b6e588b0e794b3010701020d0307bfe5ba9ce4bfa101030d02089cace5b9b4e5baa601070102090208b091e694bfe5ba9c01070101090107e794b3e8afb720010701020f0105e8afb720310107010210040a090d0c0b0d0c0c070a0c07090a0b100d0c100f0e0f0f0e0d0f0c0d0e080a0d0d0f0f10080d0b0a0d100f080b0d0e0b0d0b100d0d0f0c0f0f0e');
CREATE TABLE IF NOT EXISTS 'reports_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
INSERT INTO reports_fts_idx VALUES(1,X'',2);
INSERT INTO reports_fts_idx VALUES(2,X'',2);
CREATE TABLE IF NOT EXISTS 'reports_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
INSERT INTO reports_fts_docsize VALUES(1,X'150822');
CREATE TABLE IF NOT EXISTS 'reports_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO reports_fts_config VALUES('version',4);
CREATE TRIGGER "reports_ai" AFTER INSERT ON "reports" BEGIN
  INSERT INTO "reports_fts" (rowid, "title", "agency", "text") VALUES (new.rowid, new."title", new."agency", new."text");
END;
CREATE TRIGGER "reports_ad" AFTER DELETE ON "reports" BEGIN
  INSERT INTO "reports_fts" ("reports_fts", rowid, "title", "agency", "text") VALUES('delete', old.rowid, old."title", old."agency", old."text");
END;
CREATE TRIGGER "reports_au" AFTER UPDATE ON "reports" BEGIN
  INSERT INTO "reports_fts" ("reports_fts", rowid, "title", "agency", "text") VALUES('delete', old.rowid, old."title", old."agency", old."text");
  INSERT INTO "reports_fts" (rowid, "title", "agency", "text") VALUES (new.rowid, new."title", new."agency", new."text");
END;
CREATE VIEW "report_summary" AS 
select id, title, agency, year, province, prefecture, county, township, region_code, level,
       template_version, published, status, proactive_disclosed, applications_received, applications_carried_over, granted, partially_granted, refused, reconsideration_total, litigation_total, fees_collected, url
from reports;
CREATE INDEX "idx_reports_year"
    ON "reports" ("year");
CREATE INDEX "idx_reports_agency"
    ON "reports" ("agency");
CREATE INDEX "idx_reports_status"
    ON "reports" ("status");
CREATE INDEX "idx_captures_report_id"
    ON "captures" ("report_id");
CREATE INDEX "idx_captures_run_id"
    ON "captures" ("run_id");
CREATE INDEX "idx_report_stats_row_key_col_key"
    ON "report_stats" ("row_key", "col_key");
CREATE INDEX "idx_report_versions_run_id"
    ON "report_versions" ("run_id");
PRAGMA writable_schema=OFF;
COMMIT;

PRAGMA user_version=2;
