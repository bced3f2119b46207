// Bullet's collision world alone (no dynamics): a broadphase, a dispatcher, and static boxes whose
// user index is the station. rayTest with the closest-hit callback gives the station in front.
#include "viz/picking.hpp"

#include <btBulletCollisionCommon.h>

#include <vector>

namespace linetwin::viz {

struct StationPicker::World {
  btDefaultCollisionConfiguration config;
  btCollisionDispatcher dispatcher{&config};
  btDbvtBroadphase broadphase;
  btCollisionWorld world{&dispatcher, &broadphase, &config};
  std::vector<std::unique_ptr<btBoxShape>> shapes;
  std::vector<std::unique_ptr<btCollisionObject>> objects;

  ~World() {
    for (auto& o : objects) world.removeCollisionObject(o.get());
  }
};

StationPicker::StationPicker(const LineLayout& layout) : world_(std::make_unique<World>()) {
  for (std::size_t s = 0; s < layout.stations.size(); ++s) {
    const StationGeom& g = layout.stations[s];
    auto shape = std::make_unique<btBoxShape>(btVector3(g.box_half.x, g.box_half.y, g.box_half.z));
    auto object = std::make_unique<btCollisionObject>();
    btTransform tr;
    tr.setIdentity();
    tr.setOrigin(btVector3(g.box_center.x, g.box_center.y, g.box_center.z));
    tr.setRotation(btQuaternion(btVector3(0, 1, 0), g.yaw));
    object->setWorldTransform(tr);
    object->setCollisionShape(shape.get());
    object->setUserIndex(int(s));
    world_->world.addCollisionObject(object.get());
    world_->shapes.push_back(std::move(shape));
    world_->objects.push_back(std::move(object));
  }
  world_->world.updateAabbs();
}

StationPicker::~StationPicker() = default;

std::optional<uint32_t> StationPicker::pick(const Ray& ray) const {
  const btVector3 from(ray.from.x, ray.from.y, ray.from.z), to(ray.to.x, ray.to.y, ray.to.z);
  btCollisionWorld::ClosestRayResultCallback hit(from, to);
  world_->world.rayTest(from, to, hit);
  if (!hit.hasHit() || !hit.m_collisionObject) return std::nullopt;
  return uint32_t(hit.m_collisionObject->getUserIndex());
}

}  // namespace linetwin::viz
