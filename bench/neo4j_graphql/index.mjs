// The Neo4j GraphQL Library (@neo4j/graphql) serving the A-EXPECS graph, for bench/loadtest.py.
//
// Type definitions mirror the graph model the Python adapters write (graph_db/neo4j): the same
// labels, properties and relationship types, so both servers read the same Neo4j database. The
// network queries are @cypher fields whose statements follow the Python adapter's algorithms
// (shortest path, two-hop ego network capped at 500 nodes, second-degree recommendations scored
// with the README's weights). No authentication: the comparison favours this server there.
//
// Environment: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, PORT. Prints "listening <url>" when ready.
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const typeDefs = /* GraphQL */ `
  type Country @node {
    id: ID!
    name: String!
  }

  type Institution @node {
    id: ID!
    name: String!
    countryCode: String
  }

  type Expertise @node {
    id: ID!
    name: String!
  }

  type Connected @relationshipProperties {
    since: DateTime
  }

  type ExpertiseLevel @relationshipProperties {
    level: Int
    years: Int
  }

  type CivilServant @node {
    id: ID!
    givenName: String!
    familyName: String
    displayName: String!
    countryCode: String
    position: String
    bio: String
    sortName: String
    searchText: String
    country: Country
      @cypher(statement: "MATCH (c:Country {id: this.countryCode}) RETURN c", columnName: "c")
    institution: Institution
      @cypher(
        statement: """
        MATCH (this)-[w:WORKS_AT]->(i:Institution) WHERE w.until IS NULL
        RETURN i ORDER BY w.since DESC LIMIT 1
        """
        columnName: "i"
      )
    connections: [CivilServant!]!
      @relationship(
        type: "CONNECTED_TO"
        direction: OUT
        queryDirection: UNDIRECTED
        properties: "Connected"
      )
    expertise: [Expertise!]!
      @relationship(type: "HAS_EXPERTISE", direction: OUT, properties: "ExpertiseLevel")
  }

  type EgoNode {
    id: ID!
    distance: Int!
    displayName: String!
  }

  type EgoEdge {
    source: ID!
    target: ID!
  }

  type EgoNetwork {
    truncated: Boolean!
    nodes: [EgoNode!]!
    edges: [EgoEdge!]!
  }

  type ConnectionRecommendation {
    id: ID!
    displayName: String!
    score: Float!
    mutualConnectionCount: Int!
    crossBorder: Boolean!
    sharedExpertise: [String!]!
    sharedInstitutions: [String!]!
  }

  type Query {
    egoNetwork(person: ID!): EgoNetwork
      @cypher(
        statement: """
        MATCH (a:CivilServant {id: $person})
        OPTIONAL MATCH (a)-[:CONNECTED_TO]-(m1:CivilServant)
        WITH a, collect(DISTINCT m1) AS h1
        CALL {
          WITH a, h1
          UNWIND h1 AS m1
          MATCH (m1)-[:CONNECTED_TO]-(m2:CivilServant) WHERE m2 <> a AND NOT m2 IN h1
          RETURN collect(DISTINCT m2) AS h2
        }
        WITH a, [x IN h1 | {n: x, d: 1}] + [x IN h2 | {n: x, d: 2}] AS reached
        CALL {
          WITH reached
          UNWIND reached AS r
          WITH r ORDER BY r.d, r.n.id LIMIT 499
          RETURN collect(r) AS kept
        }
        WITH size(reached) >= 500 AS truncated, [{n: a, d: 0}] + kept AS nodes
        WITH truncated, nodes, [x IN nodes | x.n] AS people
        CALL {
          WITH people
          UNWIND people AS x
          MATCH (x)-[:CONNECTED_TO]->(y:CivilServant) WHERE y IN people
          WITH x, y ORDER BY x.id, y.id LIMIT 5000
          RETURN collect({source: x.id, target: y.id}) AS edges
        }
        RETURN {
          truncated: truncated,
          nodes: [x IN nodes | {id: x.n.id, distance: x.d, displayName: x.n.displayName}],
          edges: edges
        } AS result
        """
        columnName: "result"
      )

    connectionPath(from: ID!, to: ID!): [CivilServant!]!
      @cypher(
        statement: """
        MATCH (a:CivilServant {id: $from}), (b:CivilServant {id: $to})
        MATCH p = shortestPath((a)-[:CONNECTED_TO*1..6]-(b))
        UNWIND nodes(p) AS n
        RETURN n
        """
        columnName: "n"
      )

    recommendedConnections(person: ID!, first: Int!): [ConnectionRecommendation!]!
      @cypher(
        statement: """
        MATCH (a:CivilServant {id: $person})-[:CONNECTED_TO]-(m:CivilServant)-[:CONNECTED_TO]-(c:CivilServant)
        WHERE c <> a
        WITH a, c, count(DISTINCT m) AS mutual
        WHERE NOT EXISTS { MATCH (a)-[:CONNECTED_TO]-(c) }
          AND NOT EXISTS { MATCH (a)-[:CONNECTION_REQUEST]-(c) }
        WITH a, c, mutual ORDER BY mutual DESC, c.id LIMIT 500
        CALL {
          WITH a, c
          OPTIONAL MATCH (a)-[:HAS_EXPERTISE]->(e:Expertise)<-[:HAS_EXPERTISE]-(c)
          RETURN collect(e.name) AS areas
        }
        CALL {
          WITH a, c
          OPTIONAL MATCH (a)-[:WORKS_AT|STUDIED_AT]->(i:Institution)<-[:WORKS_AT|STUDIED_AT]-(c)
          RETURN collect(DISTINCT i.name) AS institutions
        }
        CALL {
          WITH a, c
          OPTIONAL MATCH (a)-[:PARTICIPATED_IN]->(v:Event)<-[:PARTICIPATED_IN]-(c)
          RETURN count(v) AS events
        }
        WITH c, mutual, areas, institutions, events,
             coalesce(c.countryCode <> a.countryCode, false) AS cross
        WITH c, mutual, areas, institutions, cross,
             mutual * 1.0 + size(areas) * 0.5 + size(institutions) * 2.0 + events * 1.0
             + CASE WHEN cross THEN 1.5 ELSE 0.0 END AS score
        ORDER BY score DESC, c.id LIMIT $first
        RETURN {
          id: c.id, displayName: c.displayName, score: score, mutualConnectionCount: mutual,
          crossBorder: cross, sharedExpertise: areas, sharedInstitutions: institutions
        } AS r
        """
        columnName: "r"
      )
  }
`;

const driver = neo4j.driver(
  process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687",
  neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", process.env.NEO4J_PASSWORD ?? ""),
);
const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const server = new ApolloServer({ schema: await neoSchema.getSchema() });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port: Number(process.env.PORT ?? 4000) },
});
console.log(`listening ${url}`);
