//! The answers the CLI prints and the app shows. Every type serialises to JSON and (with the
//! `specta` feature) to TypeScript; entity ids are [`EntityId`]s (numbers in TypeScript).

use crate::vocab::{EntityId, EntityKind, RelationKind};
use serde::Serialize;

/// An entity in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EntitySummary {
    /// Entity id.
    pub id: EntityId,
    /// What it is.
    pub kind: EntityKind,
    /// Canonical name.
    pub name: String,
    /// Tone-less pinyin (`yuan jia wei`).
    pub pinyin: String,
    /// Pinyin initials (`yjw`).
    pub initials: String,
    /// Number of mentions.
    pub mentions: u32,
    /// Number of articles mentioning it.
    pub articles: u32,
}

/// How a search hit matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum MatchRank {
    /// The name, an alias or a whole pinyin/initials key equals the query.
    Exact,
    /// The name or a key starts with the query.
    Prefix,
    /// The name or an alias contains the query.
    Contains,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchHit {
    /// The entity.
    pub entity: EntitySummary,
    /// How it matched.
    pub rank: MatchRank,
    /// What matched (the name, alias or pinyin key).
    pub matched: String,
}

/// A piece of text, highlighted when it is a mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TextSpan {
    /// The text of the piece (render it as text, never as HTML).
    pub text: String,
    /// The entity mentioned, when the piece is a mention.
    pub entity_id: Option<EntityId>,
    /// Its kind.
    pub kind: Option<EntityKind>,
    /// Whether it is one of the entities asked about (to highlight more strongly).
    pub focus: bool,
}

/// An article in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ArticleRef {
    /// Article id.
    pub id: u32,
    /// Headline.
    pub title: String,
    /// The file it came from.
    pub source: String,
    /// Publication date (`YYYY-MM-DD`), when the source gives one.
    pub date: Option<String>,
    /// Mentions of the entity in question (0 when not about an entity).
    pub mentions: u32,
    /// Other places the same story appeared (reprints counted once in the graph).
    pub copies: u32,
}

/// Another place an article's story appeared (a reprint, or the same page in another file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StoryCopyRef {
    /// Article id.
    pub id: u32,
    /// Headline there.
    pub title: String,
    /// The file it came from.
    pub source: String,
    /// Publication date there.
    pub date: Option<String>,
    /// Site or newspaper there.
    pub site: Option<String>,
    /// Its address there.
    pub url: Option<String>,
}

/// An entity with its neighbour over one edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Neighbour {
    /// The neighbouring entity.
    pub entity: EntitySummary,
    /// Kind of edge.
    pub relation: RelationKind,
    /// Evidence sentences.
    pub weight: u32,
    /// For directed relations: whether the edge goes from the entity asked about to this one.
    pub outgoing: bool,
}

/// Everything about one entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EntityDetail {
    /// The entity.
    pub entity: EntitySummary,
    /// Other names written for it.
    pub aliases: Vec<String>,
    /// Titles written before it.
    pub roles: Vec<String>,
    /// Neighbours, heaviest edge first (capped; see `more_neighbours`).
    pub neighbours: Vec<Neighbour>,
    /// Neighbours not listed.
    pub more_neighbours: u32,
    /// Articles mentioning it, most mentions first.
    pub articles: Vec<ArticleRef>,
    /// The earliest date of the articles mentioning it (none when none is dated).
    pub first_date: Option<String>,
    /// The latest date of the articles mentioning it.
    pub last_date: Option<String>,
}

/// One sentence of evidence for the edges between two entities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Evidence {
    /// The article.
    pub article: ArticleRef,
    /// Sentence id.
    pub sentence_id: u32,
    /// Kinds of edge this sentence supports.
    pub relations: Vec<RelationKind>,
    /// The sentence as plain text.
    pub text: String,
    /// The sentence cut into spans, mentions marked.
    pub spans: Vec<TextSpan>,
}

/// One hop of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PathHop {
    /// Where the hop starts.
    pub from: EntitySummary,
    /// Where it ends.
    pub to: EntitySummary,
    /// Kinds of edge between them.
    pub relations: Vec<RelationKind>,
    /// Evidence sentences of the heaviest edge.
    pub weight: u32,
    /// One sentence that shows the link.
    pub evidence: Option<Evidence>,
}

/// A node of a subgraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GraphNode {
    /// Entity id.
    pub id: EntityId,
    /// Kind.
    pub kind: EntityKind,
    /// Canonical name.
    pub label: String,
    /// Pinyin.
    pub pinyin: String,
    /// Mentions.
    pub mentions: u32,
    /// Articles.
    pub articles: u32,
    /// Distinct neighbours in the whole graph.
    pub degree: u32,
    /// Importance: PageRank in the graph it was taken from (the whole graph, or a date range's).
    pub rank: f64,
    /// Its community in the whole graph (numbered as the overview's), when it has an edge.
    pub community: Option<u32>,
    /// The earliest date of the articles mentioning it (filled for exports, see `add_dates`).
    pub first_date: Option<String>,
    /// The latest date of the articles mentioning it (filled for exports).
    pub last_date: Option<String>,
}

/// An edge of a subgraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GraphEdge {
    /// A key unique in the database and stable across queries: `kind:source:target`.
    pub id: String,
    /// Source entity id (the smaller id for co_occurs).
    pub source: EntityId,
    /// Target entity id.
    pub target: EntityId,
    /// Kind.
    pub kind: RelationKind,
    /// Evidence sentences.
    pub weight: u32,
    /// The earliest date of its evidence (filled for exports, see `add_dates`).
    pub first_date: Option<String>,
    /// The latest date of its evidence (filled for exports).
    pub last_date: Option<String>,
}

/// A set of entities and the edges among them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Subgraph {
    /// Nodes, by id.
    pub nodes: Vec<GraphNode>,
    /// Edges, by id.
    pub edges: Vec<GraphEdge>,
    /// Whether the node cap cut the subgraph short.
    pub truncated: bool,
}

/// What part of the graph to take.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SubgraphRequest {
    /// Entity names or ids to start from; empty for the whole graph.
    pub seeds: Vec<String>,
    /// Hops from the seeds.
    pub depth: u32,
    /// Kinds of entity to keep; empty for all.
    pub kinds: Vec<EntityKind>,
    /// Lowest edge weight kept.
    pub min_weight: u32,
    /// Most nodes returned.
    pub max_nodes: u32,
}

impl Default for SubgraphRequest {
    fn default() -> Self {
        SubgraphRequest { seeds: Vec::new(), depth: 1, kinds: Vec::new(), min_weight: 1, max_nodes: 100_000 }
    }
}

/// An article to read, cut into paragraphs of spans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ArticleView {
    /// Article id.
    pub id: u32,
    /// Headline.
    pub title: String,
    /// Byline.
    pub byline: Option<String>,
    /// The file it came from.
    pub source: String,
    /// Publication date (`YYYY-MM-DD`), when the source gives one.
    pub date: Option<String>,
    /// Publication time (`HH:MM`), when the source gives one.
    pub time: Option<String>,
    /// The article's address (canonical link or `og:url`), when known.
    pub url: Option<String>,
    /// The site or newspaper, when known.
    pub site: Option<String>,
    /// Author or editor, when given.
    pub author: Option<String>,
    /// Paragraphs, each cut into spans (the first paragraph is the headline).
    pub paragraphs: Vec<Vec<TextSpan>>,
    /// The article this one is a copy of (its mentions are counted there), if it is one.
    pub duplicate_of: Option<u32>,
    /// The other places the same story appeared, by id (the original first).
    pub copies: Vec<StoryCopyRef>,
}

/// Count of entities of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KindCount {
    /// Entity kind.
    pub kind: EntityKind,
    /// How many.
    pub count: u32,
}

/// Count of edges of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RelationCount {
    /// Relation kind.
    pub kind: RelationKind,
    /// How many.
    pub count: u32,
}

/// Counts of everything in a database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Stats {
    /// Files stored.
    pub files: u32,
    /// Files skipped.
    pub skipped_files: u32,
    /// Articles.
    pub articles: u32,
    /// Articles that are copies of a story stored before them (counted once in the graph).
    pub copied_articles: u32,
    /// Sentences.
    pub sentences: u32,
    /// Mentions.
    pub mentions: u32,
    /// Entities per kind.
    pub entities: Vec<KindCount>,
    /// Edges per kind.
    pub edges: Vec<RelationCount>,
}

/// What to add when expanding an entity (see [`super::expand`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExpandRequest {
    /// The entities already on screen (kept in the answer).
    pub visible: Vec<EntityId>,
    /// Most neighbours added.
    pub limit: u32,
    /// Lightest edge followed.
    pub min_weight: u32,
    /// Kinds of neighbour added (all when empty).
    pub kinds: Vec<EntityKind>,
}

/// Neighbours added by expanding an entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Expansion {
    /// The entity, its shown neighbours and the entities already on screen, with the edges among them.
    pub subgraph: Subgraph,
    /// Neighbours not added because of the cap.
    pub more: u32,
}

/// Articles found by their text (`find-text`), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TextSearch {
    /// What was looked for.
    pub query: String,
    /// The articles, each with where the text occurs in it.
    pub hits: Vec<TextHit>,
    /// How many articles contain the text in all (more than `hits` when capped).
    pub total: u32,
    /// True when `total` is an estimate: counting exactly would have meant reading more than
    /// a few thousand candidate articles (a single character, or a text whose index pieces
    /// are frequent), so it is extrapolated from the first ones read.
    pub estimated: bool,
    /// Articles the full-text index does not hold yet ("indexing, N articles to go"); they may
    /// be missing from `hits` until it catches up.
    pub pending: u32,
}

/// One article that contains the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TextHit {
    /// The article.
    pub article: ArticleRef,
    /// Occurrences of the text in its title and body.
    pub count: u32,
    /// Up to three occurrences with the text around them, the first first.
    pub snippets: Vec<Snippet>,
}

/// An occurrence of the searched text with its surroundings (within its paragraph).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Snippet {
    /// Text before the hit (up to 30 characters).
    pub before: String,
    /// The hit itself.
    pub text: String,
    /// Text after the hit (up to 30 characters).
    pub after: String,
}

// ---- overview: importance, communities, backbone, time (issue 15) ------------------------------

/// What the overview asks: the most important entities of the articles in a date range (or of
/// one community), with their backbone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OverviewRequest {
    /// Most entities returned (the most important first).
    pub max_nodes: u32,
    /// Ties each entity keeps in the backbone (its heaviest to other returned entities).
    pub backbone: u32,
    /// First publication date (YYYY-MM-DD, YYYY-MM or YYYY); none for no lower bound.
    pub from: Option<String>,
    /// Last publication date; none for no upper bound.
    pub to: Option<String>,
    /// Whether undated articles count (only without bounds: a range holds dated articles only).
    pub undated: bool,
    /// Only this community's members (a number from [`Overview::communities`]).
    pub community: Option<u32>,
}

impl Default for OverviewRequest {
    fn default() -> Self {
        OverviewRequest { max_nodes: 150, backbone: 3, from: None, to: None, undated: true, community: None }
    }
}

/// An entity of the overview: a row of the entity table and a node of the graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OverviewNode {
    /// Entity id.
    pub id: EntityId,
    /// Canonical name.
    pub label: String,
    /// Kind.
    pub kind: EntityKind,
    /// Pinyin.
    pub pinyin: String,
    /// Importance: weighted PageRank in the graph of the range (all ranks sum to 1).
    pub rank: f64,
    /// Community in the whole graph (stable across ranges).
    pub community: u32,
    /// Mentions in the range.
    pub mentions: u32,
    /// Articles in the range mentioning it.
    pub articles: u32,
    /// Distinct neighbours in the range's graph.
    pub degree: u32,
    /// Earliest dated article of the range mentioning it.
    pub first_date: Option<String>,
    /// Latest dated article of the range mentioning it.
    pub last_date: Option<String>,
}

/// A member of a community.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CommunityMember {
    /// Entity id.
    pub id: EntityId,
    /// Canonical name.
    pub label: String,
    /// Kind.
    pub kind: EntityKind,
    /// Importance in the whole graph.
    pub rank: f64,
}

/// A community of the whole graph (Louvain over all relations), named by its top members.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Community {
    /// Its number: 0 is the community with the most importance in all.
    pub id: u32,
    /// Its top three members' names joined by ` · ` (「江海区委 · 袁加伟 · 区信访局」).
    pub name: String,
    /// Number of members.
    pub size: u32,
    /// The most important members, first first (as many as asked).
    pub members: Vec<CommunityMember>,
}

/// The overview: entities by importance, their backbone, and the communities they belong to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Overview {
    /// Entities, most important first.
    pub nodes: Vec<OverviewNode>,
    /// Backbone edges among them (one per related pair: weight = all relations' evidence).
    pub edges: Vec<GraphEdge>,
    /// The communities of the nodes, by number (members: their top five).
    pub communities: Vec<Community>,
    /// Entities with an edge in the range (of the community, when one was asked).
    pub total: u32,
    /// Articles in the range (of the community: those mentioning its members most, best first).
    pub articles: Vec<ArticleRef>,
}

/// Articles on one publication date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DateCount {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Articles published that day.
    pub articles: u32,
}

/// Articles per publication date: the time line under the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DateHistogram {
    /// Dated articles per day, by date (days without articles left out).
    pub days: Vec<DateCount>,
    /// Articles without a date.
    pub undated: u32,
}
